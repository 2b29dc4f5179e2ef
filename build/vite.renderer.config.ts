import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('../renderer/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

/**
 * The built app runs with a strict CSP (no inline scripts, no eval). The dev server needs inline
 * scripts (React refresh preamble) and eval (RxDB dev-mode / ajv compile schemas with `new Function`),
 * so the policy is relaxed only when serving, never in the output of `vite build`.
 */
function contentSecurityPolicy(): Plugin {
  let dev = false;
  return {
    name: 'balcao-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const script = dev ? "script-src 'self' 'unsafe-inline' 'unsafe-eval'" : "script-src 'self'";
      const policy = [
        "default-src 'self'",
        script,
        // Mantine injects CSS variables through <style> tags.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        // A built file cannot know the server, so any http(s) host here; the host's header policy
        // (electron/csp.ts) names the configured server, and the browser enforces both.
        `connect-src 'self' http: https:${dev ? ' ws: wss:' : ''}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ].join('; ');
      return html.replace('%BALCAO_CSP%', policy);
    },
  };
}

/**
 * The app shell for a station running in a browser (the web host): a Workbox service worker
 * (dist/renderer/sw.js) precaches index.html and every built asset, so a reload with the web host or
 * the central server gone still opens the app, which then works from its local database as the
 * desktop app does. Only same-origin files are precached; requests to the central server (another
 * origin) never pass through the cache. renderer/pwa.ts registers it, and only on an http(s) page:
 * the Electron app loads from app://, which has its files on disk and no service worker.
 */
function appShellCache(): Plugin[] {
  return VitePWA({
    injectRegister: false,
    registerType: 'autoUpdate',
    manifest: false,
    filename: 'sw.js',
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png,ico,woff,woff2,wasm}'],
      // The main bundle is a few MB (RxDB, Mantine): precache it whole.
      maximumFileSizeToCacheInBytes: 20 * 1024 * 1024,
      // Any app route opens the cached shell; the app routes itself.
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
    },
  });
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), contentSecurityPolicy(), appShellCache()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: { strictPort: false },
});
