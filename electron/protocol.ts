import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { resolveAppFile } from './app-files.ts';
import { APP_HOST, APP_SCHEME } from './app-url.ts';
import { contentTypeOf } from './content-type.ts';

/**
 * Must run before `app.whenReady()`. `standard` gives the pages a real origin (IndexedDB for RxDB),
 * `secure` makes it a secure context (crypto.subtle, notifications), `corsEnabled`/`supportFetchAPI`
 * let the UI fetch its own files.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
  ]);
}

/**
 * Serves dist/renderer at app://balcao/ with the CSP as a response header; `policy` is asked on every
 * response, so a page loaded after pairing gets the policy that names the paired server.
 */
export function serveApp(rendererDir: string, policy: () => string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveAppFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': policy(),
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
