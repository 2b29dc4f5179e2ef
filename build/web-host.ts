import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resolveAppFile } from '../electron/app-files.ts';
import { contentTypeOf } from '../electron/content-type.ts';
import { contentSecurityPolicy } from '../electron/csp.ts';
import { RENDERER_DIST } from './paths.ts';

/**
 * The web fallback host: serves the built UI (dist/renderer) on its own port, apart from the API
 * server, with the same files and CSP as Electron's app:// protocol. End-to-end tests rely on the
 * page staying up while the API server is stopped.
 */
export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface WebHostOptions {
  /**
   * The API server(s) the UI may call: the CSP's `connect-src` names them and nothing else, so the
   * setup screen of this host pairs only with these. (`localhost` and `127.0.0.1` count as one.)
   */
  servers: readonly string[];
  /** 0 picks a free port. Default: PORT_UI or 4011. */
  port?: number;
  host?: string;
  root?: string;
  /**
   * End-to-end tests only: the page's sync retry period, ms (renderer/core's `syncRetryMs`; default
   * 1000, unchanged when absent). Served as `<meta name="balcao-sync-retry-ms">` in index.html.
   */
  syncRetryMs?: number;
}

/** index.html with the test-only retry period in a meta tag the renderer reads (main.tsx). */
async function indexWithRetry(file: string, syncRetryMs: number): Promise<Buffer> {
  const html = await readFile(file, 'utf8');
  const meta = `<meta name="balcao-sync-retry-ms" content="${Math.trunc(syncRetryMs)}" />`;
  return Buffer.from(html.includes('<head>') ? html.replace('<head>', `<head>\n    ${meta}`) : meta + html, 'utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const root = options.root ?? RENDERER_DIST;
  const host = options.host ?? '127.0.0.1';
  const securityHeaders = {
    'content-security-policy': contentSecurityPolicy(options.servers),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', ...securityHeaders }).end();
        return;
      }
      const { pathname } = new URL(request.url ?? '/', 'http://host');
      const file = resolveAppFile(root, pathname);
      const info = file ? await stat(file).catch(() => null) : null;
      if (!file || !info?.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders }).end('Not found');
        return;
      }
      const body = options.syncRetryMs !== undefined && /(^|[\\/])index\.html$/.test(file) ? await indexWithRetry(file, options.syncRetryMs) : null;
      response.writeHead(200, {
        ...securityHeaders,
        'content-type': contentTypeOf(file),
        'content-length': body ? body.length : info.size,
        // Vite puts a content hash in every asset name; index.html must always be fetched fresh.
        'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else if (body) response.end(body);
      else createReadStream(file).pipe(response);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Internal error: ${String(error)}`);
    });
  });
  const port = options.port ?? Number(process.env.PORT_UI ?? 4011);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = process.env.BALCAO_SERVER_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4010}`;
  const webHost = await startWebHost({ servers: [server] });
  console.log(`Balcão UI on ${webHost.url}, for the server ${server} (BALCAO_SERVER_URL)`);
  const stop = () => void webHost.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
