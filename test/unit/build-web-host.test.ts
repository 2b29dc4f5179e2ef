import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../build/web-host.ts';
import { contentSecurityPolicy } from '../../electron/csp.ts';

/** Raw request, so paths like `/../x` reach the server unnormalised (fetch would clean them up). */
function get(host: WebHost, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host (UI fallback when Electron is unavailable)', () => {
  let root = '';
  let host: WebHost;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'balcao-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Balcão</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    // A file right next to the served folder, which `..` would reach.
    writeFileSync(join(root, '..', 'balcao-outside.txt'), 'secret');
    host = await startWebHost({ port: 0, root, servers: ['http://127.0.0.1:4010'] });
  });
  afterAll(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(root, '..', 'balcao-outside.txt'), { force: true });
  });

  it('serves the page on its own port with the CSP header, whose connect-src names its server only', async () => {
    expect(host.port).toBeGreaterThan(0);
    const page = await get(host, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Balcão</title>');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(['http://127.0.0.1:4010']));
    expect(page.headers['content-security-policy']).toMatch(/(^|; )connect-src 'self' http:\/\/127\.0\.0\.1:4010 http:\/\/localhost:4010($|;)/);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('adds the sync retry period to the page only when started with one (end-to-end tests), leaving assets as they are', async () => {
    expect((await get(host, '/')).body).not.toContain('balcao-sync-retry-ms');
    const fast = await startWebHost({ port: 0, root, servers: ['http://127.0.0.1:4010'], syncRetryMs: 100 });
    try {
      const page = await get(fast, '/');
      expect(page.body).toContain('<meta name="balcao-sync-retry-ms" content="100" />');
      expect(page.body).toContain('<title>Balcão</title>');
      expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
      expect((await get(fast, '/customers')).body).toContain('balcao-sync-retry-ms');
      expect((await get(fast, '/assets/index-abc.js')).body).toBe('console.log(1)');
    } finally {
      await fast.close();
    }
  });

  it('serves hashed assets as immutable JavaScript and routes unknown paths to the page', async () => {
    const asset = await get(host, '/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await get(host, '/customers')).body).toContain('Balcão');
    expect((await get(host, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../balcao-outside.txt', '/..%2fbalcao-outside.txt', '/assets/..%2f..%2fbalcao-outside.txt']) {
      const response = await get(host, path);
      expect(response.body, path).not.toBe('secret');
      expect(response.status, path).toBe(404);
    }
  });

  it('answers HEAD without a body and refuses writes', async () => {
    const head = await get(host, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(host, '/', 'POST')).status).toBe(405);
  });
});
