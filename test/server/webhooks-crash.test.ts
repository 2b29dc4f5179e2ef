import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, demoDatabase, type DatabaseKind } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./webhooks/server-entry.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until `check` resolves true (polling a condition), failing after `limitMs` with `what`. */
async function until(check: () => Promise<boolean> | boolean, what: string, limitMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`${what} did not happen within ${limitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The real server as a child process (`npm run server` with demo data) that SIGKILL stops without warning. */
class ServerChild {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly url: string;
  constructor(
    private readonly port: number,
    private readonly target: { databaseUrl?: string; dataDir?: string },
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env, HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: 'error', BALCAO_DEMO: '1',
      // A local receiver, a short attempt limit, and a claim that ends soon after it, so the test waits little after the kill.
      BALCAO_WEBHOOKS_ALLOW_PRIVATE: '1', BALCAO_WEBHOOKS_TIMEOUT_MS: '5000', BALCAO_WEBHOOKS_LEASE_MS: '6000',
    };
    delete env.DATABASE_URL;
    delete env.BALCAO_DATA_DIR;
    if (this.target.databaseUrl) env.DATABASE_URL = this.target.databaseUrl;
    else env.BALCAO_DATA_DIR = this.target.dataDir;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await until(async () => {
      try {
        return (await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    }, 'the server start');
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }
}

describe.each(DATABASE_KINDS)('webhooks across a killed server on %s', (kind: DatabaseKind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('API-02 killing the server (SIGKILL) during delivery loses no event and delivers none twice to a receiver that drops duplicates by webhook-id', { timeout: 240_000 }, async () => {
    // A copy of the run's demo database (the child's seeded start then finds its data).
    const { drop, ...target } = await demoDatabase(kind);
    cleanups.push(drop);
    const server = new ServerChild(await freePort(), target);
    cleanups.push(() => server.kill());
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    await server.start();

    const login = async () => (await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'admin', password: 'admin123' } })).body.token as string;
    let admin = await login();
    const made = await call(server.url, 'POST', '/api/v1/webhooks/subscriptions', { token: admin, body: { url: receiver.url, eventTypes: ['stock.below_level'], stockLevel: 5 } });
    expect(made.status).toBe(201);
    receiver.secrets = [made.body.secret];
    const subscription = made.body.subscription.id as string;

    // Every round puts 40 products' stock up to 10 and then down to 1: 40 events per round.
    const skus = Array.from({ length: 40 }, (_, n) => `CR-${n}`);
    const batch = (stock: number) => call(server.url, 'POST', '/api/v1/products/batch', {
      token: admin,
      body: { items: skus.map((sku, n) => ({ sku, name: `Produto ${sku}`, unit: 'UN', priceCents: 100, groupId: 'loja1-grp-hidraulica', barcode: `7891${String(n).padStart(9, '0')}`, stock })) },
    });
    // Answers are held back: the server has messages in flight, sent and processed but not yet acknowledged, when it dies.
    let release!: () => void;
    receiver.hold = new Promise<void>((resolve) => (release = resolve));
    let rounds = 0;
    for (let round = 0; round < 2; round++) {
      expect((await batch(10)).status).toBe(200);
      expect((await batch(1)).status).toBe(200);
      rounds++;
    }
    await until(() => receiver.all.length >= 4, 'deliveries under way');
    // A third round is being written when the server dies: its events exist exactly if its write committed.
    expect((await batch(10)).status).toBe(200);
    const lastWrite = batch(1).then((answer) => answer.status, () => null);
    await server.kill();
    const lastStatus = await lastWrite;
    const inFlightAtKill = receiver.all.length;
    expect(inFlightAtKill).toBeGreaterThanOrEqual(4);

    receiver.hold = null;
    release();
    await server.start();
    admin = await login();
    // The third round's write committed or not: what the database holds says which.
    const stockNow = (await call(server.url, 'GET', '/api/v1/stock?sku=CR-0', { token: admin })).body.levels[0].stock as number;
    if (lastStatus === 200) expect(stockNow).toBe(1);
    if (stockNow === 1) rounds++;
    const expected = rounds * skus.length;

    const state = async () => (await call(server.url, 'GET', `/api/v1/webhooks/subscriptions/${subscription}`, { token: admin })).body as { pending: number; failed: number };
    await until(async () => receiver.unique.size >= expected && (await state()).pending === 0, `delivery of ${expected} events`);
    expect(await state()).toMatchObject({ pending: 0, failed: 0 });

    // Each product crossed the level once per committed round: one processed event each, none lost, none twice.
    const perProduct = new Map<string, number>();
    for (const message of receiver.unique.values()) perProduct.set(message.payload.resourceId, (perProduct.get(message.payload.resourceId) ?? 0) + 1);
    expect(receiver.unique.size).toBe(expected);
    expect([...perProduct.values()]).toEqual(skus.map(() => rounds));
    // Nothing invented: every processed id is a message the server stored.
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { messages: { id: string }[]; nextCursor: string | null } } = await call(server.url, 'GET', `/api/v1/webhooks/subscriptions/${subscription}/messages?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      page.body.messages.forEach((message) => stored.add(message.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(stored.size).toBe(expected);
    expect([...receiver.unique.keys()].every((id) => stored.has(id))).toBe(true);
    // The messages in flight at the kill were sent again after the restart (at least once), and dropped as duplicates.
    expect(receiver.all.length).toBeGreaterThan(receiver.unique.size);
    expect(receiver.all.every((message) => message.verifiedWith === 0)).toBe(true);
    await server.kill();
  });
});
