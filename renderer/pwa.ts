/**
 * Registers the app-shell service worker (build/vite.renderer.config.ts) when the built app runs in a
 * browser page served over http(s) — the web host. The Electron app (app://) has its files on disk;
 * the dev server has no worker. A failed registration only costs the offline reload: it is logged, not
 * shown.
 */
export function registerAppShellCache(): void {
  if (!import.meta.env.PROD) return;
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
  // Not a secure context (a plain-http address other than localhost): browsers offer no service worker.
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
    console.warn('Balcão: the offline copy of the app could not be set up.', error);
  });
}
