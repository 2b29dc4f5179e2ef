import { Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { Core } from '../core/core.ts';
import { CoreContext, useCore, useObservable } from './core-context.tsx';
import { SetupScreen } from './SetupScreen.tsx';
import { LoginScreen } from './LoginScreen.tsx';
import { Shell } from './Shell.tsx';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontSizes: { md: '14px' },
});

function Screens() {
  const core = useCore();
  const { phase } = useObservable(core.state$, core.state);
  switch (phase) {
    case 'loading':
      return (
        <Center mih="100vh">
          <Loader />
        </Center>
      );
    case 'setup':
      return <SetupScreen />;
    case 'login':
      return <LoginScreen />;
    case 'ready':
      return <Shell />;
  }
}

export function App({ core }: { core: Core }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* At most three toasts at once; the rest wait their turn (screens also replace their own: ui/toast.ts). */}
      <Notifications position="bottom-right" limit={3} />
      <CoreContext.Provider value={core}>
        <Screens />
      </CoreContext.Provider>
    </MantineProvider>
  );
}
