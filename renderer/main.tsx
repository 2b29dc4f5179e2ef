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
  const core = createCore(bridge, { syncRetryMs: injectedSyncRetryMs() });
  // Development only: lets the console (and screenshot scripts) reach the core; never in a build.
  if (import.meta.env.DEV) (window as unknown as { __balcao?: unknown }).__balcao = core;
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App core={core} />
    </StrictMode>,
  );
  await core.start();
}

/**
 * A shorter sync retry period, ms, when the web host was started with one (build/web-host.ts's
 * `syncRetryMs`, end-to-end tests only): a `<meta name="balcao-sync-retry-ms">` it adds to the page.
 * Electron and the production web host never add it: undefined keeps the default.
 */
function injectedSyncRetryMs(): number | undefined {
  const value = Number(document.querySelector('meta[name="balcao-sync-retry-ms"]')?.getAttribute('content'));
  return Number.isInteger(value) && value >= 10 && value <= 60_000 ? value : undefined;
}

registerAppShellCache();

main().catch((error: unknown) => {
  // Last resort before React is up: plain text, still saying what to do.
  document.body.textContent = `Não foi possível iniciar o Balcão (${String(error)}). Recarregue a página; se persistir, avise o suporte.`;
});
