import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './bridge/index.ts';
import { createCore } from './core/core.ts';
import { initI18n } from './i18n/index.ts';
import { App } from './ui/App.tsx';
import { registerAppShellCache } from './pwa.ts';

async function main(): Promise<void> {
  const bridge = getBridge();
  const settings = await bridge.getSettings();
  await initI18n(settings.language);
  const core = createCore(bridge);
  // Development only: lets the console (and screenshot scripts) reach the core; never in a build.
  if (import.meta.env.DEV) (window as unknown as { __balcao?: unknown }).__balcao = core;
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App core={core} />
    </StrictMode>,
  );
  await core.start();
}

registerAppShellCache();

main().catch((error: unknown) => {
  // Last resort before React is up: plain text, still saying what to do.
  document.body.textContent = `Não foi possível iniciar o Balcão (${String(error)}). Recarregue a página; se persistir, avise o suporte.`;
});
