import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOKED_CHANNEL } from '../../sync/server/auth/auth-cache.ts';
import { CHANGES_CHANNEL } from '../../sync/server/db/documents.ts';
import { openPostgres } from '../../sync/server/db/postgres.ts';
import { startServer, type RunningServer } from '../../sync/server/node/start.ts';
import { ChangeHub } from '../../sync/server/sync/change-hub.ts';
import type { Database } from '../../sync/server/db/database.ts';
import { customerDoc, saleDoc } from './support/documents.ts';
import { TEST_PASSWORD_HASHING } from './support/password-hashing.ts';
import { createScratchDatabase, PG_ADMIN_URL } from './support/scratch-database.ts';
import { call, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { changeOf, openStream } from './support/stream.ts';

/**
 * PostgreSQL's listening connections (openPostgres' listen) across failures, from a breaker session:
 * a connection lost, refused, hanging or silently dead is made again and the subscriber catches up
 * (onResume, retried when it fails, never an unhandled rejection); close() leaves nothing behind.
 * The stakes: live changes reaching open tills (POS-02) and a logout closing the session's streams
 * (API-08) or a role change closing the user's streams (ADM-02) even when the notice was sent while
 * nobody listened.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function terminateListener(db: { query: RunningServer['query'] }, channel: string, sparePids: number[] = []): Promise<number> {
  const rows = await db.query<{ ended: boolean }>(
    'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> ALL($2::int[])',
    [`balcao listen ${channel}`, sparePids],
  );
  return rows.filter((row) => row.ended).length;
}

/** How many of the channel's listening connections are up (those in sparePids aside). */
async function listenersOf(db: { query: RunningServer['query'] }, channel: string, sparePids: number[] = []): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> ALL($2::int[])',
    [`balcao listen ${channel}`, sparePids],
  );
  return rows[0]!.n;
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

describe('LISTEN resume on postgresql: revocations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgresql');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-08 a logout while the revocation listener was down still closes the session\'s open stream', async () => {
    const { token } = await stationSession(server, 'cx01');
    const admin = (await login(server, 'admin', 'admin123')).token;
    const stream = await openStream(server.url, token);
    let ended = false;
    void stream.ended.then(() => (ended = true));
    try {
      await stream.waitFor((event) => event.event === 'resync', 'the opening RESYNC');
      expect(await terminateListener(server, REVOKED_CHANNEL)).toBe(1);
      expect((await call(server.url, 'POST', '/api/auth/logout', { token })).status).toBe(204);
      // The listener is back within a second; give it plenty.
      await waitUntil(async () => (await listenersOf(server, REVOKED_CHANNEL)) === 1, 'revocation listener back');
      await sleep(2_000);
      // The revoked session's stream still gets live data.
      await call(server.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items: [{ sku: 'P000009', priceCents: 9_009 }] } });
      await sleep(1_000);
      const leaked = stream.events.some((event) => changeOf(event)?.documents.some((doc) => doc.id === 'p-00009'));
      expect({ ended, leaked }).toEqual({ ended: true, leaked: false });
    } finally {
      await stream.close();
    }
  });

  it('ADM-02 a user demoted while the revocation listener was down loses their open stream once it listens again; an unchanged user\'s stream goes on', async () => {
    const admin = (await login(server, 'admin', 'admin123')).token;
    expect((await call(server.url, 'POST', '/api/users', { token: admin, body: { code: 'boss3', name: 'Boss Three', password: 'boss3-pass-123', roles: ['admin'] } })).status).toBe(201);
    const boss = await login(server, 'boss3', 'boss3-pass-123');
    const demoted = await openStream(server.url, boss.token);
    const kept = await openStream(server.url, admin);
    let ended = false;
    void demoted.ended.then(() => (ended = true));
    try {
      for (const stream of [demoted, kept]) await stream.waitFor((event) => event.event === 'resync', 'the opening RESYNC');
      expect(await terminateListener(server, REVOKED_CHANNEL)).toBe(1);
      // Its notice is lost: nobody listens.
      expect((await call(server.url, 'PUT', '/api/users/loja1-boss3/roles', { token: admin, body: { roles: ['cashier'] } })).status).toBe(200);
      await waitUntil(async () => (await listenersOf(server, REVOKED_CHANNEL)) === 1, 'revocation listener back');
      await sleep(2_000);
      const service = { id: 'svc-while-down', kind: 'service', code: 'SECRET3', name: 'Serviço restrito', active: true, monthlyFeeCents: 12_345, updatedAt: new Date().toISOString() };
      expect((await call(server.url, 'PUT', '/api/v1/backoffice/svc-while-down', { token: admin, body: service })).status).toBe(200);
      await kept.waitFor((event) => changeOf(event)?.documents.some((doc) => doc.id === 'svc-while-down') ?? false, 'the back-office record on the unchanged admin\'s stream');
      const leaked = demoted.events.some((event) => changeOf(event)?.documents.some((doc) => doc.id === 'svc-while-down'));
      expect({ ended, leaked }).toEqual({ ended: true, leaked: false });
    } finally {
      await demoted.close();
      await kept.close();
    }
  });
});

describe('LISTEN resume on postgresql: streams around drops', () => {
  let a: TestServer;
  let b: RunningServer;
  let aListener: number[];
  beforeAll(async () => {
    a = await startTestServer('postgresql');
    aListener = (await a.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [`balcao listen ${CHANGES_CHANNEL}`])).map((row) => row.pid);
    expect(aListener).toHaveLength(1);
    b = await startServer({ port: 0, databaseUrl: a.databaseUrl!, seedDemo: true, logLevel: 'error', rateLimit: false, passwordHashing: TEST_PASSWORD_HASHING });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('POS-02 writes through instance A before, during and after repeated drops of B\'s listener reach B\'s streams once each, in scope, checkpoints never going back', async () => {
    const one = await stationSession(a, 'cx01');
    const two = await stationSession(a, 'cx02');
    const admin = (await login(a, 'admin', 'admin123')).token;
    const streamOne = await openStream(b.url, one.token);
    const streamTwo = await openStream(b.url, two.token);
    const streams = [streamOne, streamTwo];
    try {
      for (const stream of streams) await stream.waitFor((event) => event.event === 'resync', 'the opening RESYNC');
      const expected = { one: new Set<string>(), two: new Set<string>(), shared: new Set<string>() };
      let n = 0;
      const writeRound = async () => {
        n++;
        const sOne = `brk-s1-${n}`;
        const sTwo = `brk-s2-${n}`;
        const customer = customerDoc(9_000_000 + n);
        const sku = `P${String(10 + (n % 50)).padStart(6, '0')}`;
        const answers = await Promise.all([
          call(a.url, 'POST', '/api/sync/sales/push', { token: one.token, body: [{ newDocumentState: saleDoc(sOne, one.station.stationId) }] }),
          call(a.url, 'POST', '/api/sync/sales/push', { token: two.token, body: [{ newDocumentState: saleDoc(sTwo, two.station.stationId) }] }),
          call(a.url, 'POST', '/api/sync/customers/push', { token: one.token, body: [{ newDocumentState: customer }] }),
          call(a.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items: [{ sku, priceCents: 1_000 + n }] } }),
        ]);
        for (const answer of answers) expect(answer.status).toBe(200);
        expected.one.add(sOne);
        expected.two.add(sTwo);
        expected.shared.add(String(customer.id));
      };
      for (let round = 0; round < 4; round++) {
        await writeRound();
        // B listens again 0.25 s after a drop (more on a loaded machine): each round drops a listener that is back.
        await waitUntil(async () => (await listenersOf(b, CHANGES_CHANNEL, aListener)) === 1, 'B listening again');
        expect(await terminateListener(b, CHANGES_CHANNEL, aListener)).toBe(1);
        await writeRound();
        await writeRound();
        await sleep(100 + round * 200);
        await writeRound();
      }
      await writeRound();
      const seen = (stream: typeof streamOne) => new Set(stream.events.flatMap((event) => changeOf(event)?.documents.map((doc) => doc.id) ?? []));
      await waitUntil(() => [...expected.one, ...expected.shared].every((id) => seen(streamOne).has(id)) && [...expected.two, ...expected.shared].every((id) => seen(streamTwo).has(id)), 'every write reached B', 15_000);
      await sleep(1_000);
      for (const [stream, mine, theirs] of [[streamOne, expected.one, expected.two], [streamTwo, expected.two, expected.one]] as const) {
        const changes = stream.events.map(changeOf).filter((change) => change !== null);
        const sentTwice: string[] = [];
        const went = new Map<string, number>();
        const backwards: string[] = [];
        const keys = new Set<string>();
        for (const change of changes) {
          const last = went.get(change.collection) ?? 0;
          if (change.checkpoint.seq <= last) backwards.push(`${change.collection}: ${last} -> ${change.checkpoint.seq}`);
          went.set(change.collection, change.checkpoint.seq);
          for (const doc of change.documents) {
            const key = `${change.collection}/${doc.id}@${change.checkpoint.seq}`;
            if (keys.has(key)) sentTwice.push(key);
            keys.add(key);
          }
        }
        const foreign = [...seen(stream)].filter((id) => theirs.has(id));
        expect({ sentTwice, backwards, foreign, resyncs: stream.events.filter((event) => event.data === '"RESYNC"').length }).toEqual({ sentTwice: [], backwards: [], foreign: [], resyncs: 0 });
        expect([...mine].every((id) => seen(stream).has(id))).toBe(true);
      }
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  }, 60_000);
});

/** A TCP proxy in front of PostgreSQL whose behaviour the test switches. */
function startProxy(target: { host: string; port: number }) {
  let mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  const sockets = new Set<Socket>();
  const upstreams = new Map<Socket, Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode === 'refuse') return void socket.destroy();
    // Accepted, read and never answered (a paused socket would not even see its peer leave).
    if (mode === 'blackhole') return void socket.resume();
    const upstream = netConnect(target.port, target.host);
    upstreams.set(socket, upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  return {
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as { port: number }).port;
    },
    set mode(value: typeof mode) {
      mode = value;
    },
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    /** Established connections go silent both ways (a NAT or proxy forgot them without a reset). */
    freezeAll() {
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
        upstreams.get(socket)?.unpipe();
        upstreams.get(socket)?.pause();
      }
    },
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('openPostgres listen: reconnecting', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let admin: pg.Client;
  let dbName: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase('balcao_brk');
    dbName = new URL(scratch.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await scratch?.drop();
  });
  /** The scratch database through a proxy the test switches, with listening timings short enough for a test. */
  const behindProxy = async () => {
    const proxy = startProxy({ host: '127.0.0.1', port: Number(new URL(scratch.url).port || 5432) });
    const db = await openPostgres(proxiedUrl(await proxy.listen()), { connectTimeoutMs: 2_000, heartbeatMs: 1_000, heartbeatTimeoutMs: 1_000 });
    return { proxy, db };
  };
  const proxiedUrl = (port: number) => {
    const url = new URL(scratch.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString();
  };
  const listeners = async (channel: string) =>
    Number((await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [dbName, `balcao listen ${channel}`])).rows[0].n);
  const terminate = async (channel: string) =>
    (await admin.query('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [dbName, `balcao listen ${channel}`])).rowCount;

  it('an onResume that throws does not become an unhandled rejection', async () => {
    const db = await openPostgres(scratch.url);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    // Vitest's own handler would fail the run; count them here instead.
    const previous = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onRejection);
    let resumed = 0;
    try {
      await db.listen('brk_throw', () => undefined, () => {
        resumed++;
        throw new Error('onResume failed');
      });
      expect(await terminate('brk_throw')).toBe(1);
      await waitUntil(() => resumed === 1, 'resumed');
      await sleep(200);
      expect(rejections.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      for (const listener of previous) process.on('unhandledRejection', listener);
      await db.close();
    }
  });

  it('a database unreachable for a while: attempts back off, it listens again once reachable, one connection', async () => {
    const { proxy, db } = await behindProxy();
    try {
      let resumed = 0;
      const got: string[] = [];
      await db.listen('brk_backoff', (payload) => got.push(payload), () => void resumed++);
      proxy.mode = 'refuse';
      const before = proxy.accepted;
      proxy.dropAll();
      await sleep(4_000);
      const attempts = proxy.accepted - before;
      // 0.25 + 0.5 + 1 + 2 s: 4 attempts in 4 s, not a busy loop.
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(attempts).toBeLessThanOrEqual(5);
      proxy.mode = 'forward';
      await waitUntil(() => resumed === 1, 'resumed', 10_000);
      expect(await listeners('brk_backoff')).toBe(1);
      await db.query(`SELECT pg_notify('brk_backoff', 'after')`);
      await waitUntil(() => got.includes('after'), 'notice after resume');
    } finally {
      await db.close();
      await proxy.close();
    }
    await sleep(300);
    expect(await listeners('brk_backoff')).toBe(0);
  }, 30_000);

  it('a reconnect attempt that hangs (the address accepts but never answers) does not stop listening for good', async () => {
    const { proxy, db } = await behindProxy();
    let resumed = 0;
    let state: unknown;
    try {
      const got: string[] = [];
      await db.listen('brk_hang', (payload) => got.push(payload), () => void resumed++);
      proxy.mode = 'blackhole';
      proxy.dropAll();
      await sleep(1_000);
      // The network is back (a failover finished, the proxy recovered).
      proxy.mode = 'forward';
      await sleep(5_000);
      // Listening again: a notice arrives (the heartbeat's SELECT 1 hides LISTEN from pg_stat_activity.query).
      const direct = new pg.Client({ connectionString: scratch.url });
      await direct.connect();
      await direct.query(`SELECT pg_notify('brk_hang', 'back')`);
      await direct.end();
      await sleep(300);
      state = { resumed, got, attempts: proxy.accepted };
    } finally {
      await db.close();
      await proxy.close();
    }
    expect(state).toEqual({ resumed: 1, got: ['back'], attempts: expect.any(Number) });
  }, 30_000);

  it('an established LISTEN connection that goes silent (no FIN/RST) is noticed and made again', async () => {
    const { proxy, db } = await behindProxy();
    let resumed = 0;
    const got: string[] = [];
    let state: unknown;
    try {
      await db.listen('brk_silent', (payload) => got.push(payload), () => void resumed++);
      proxy.freezeAll();
      await sleep(4_000);
      const direct = new pg.Client({ connectionString: scratch.url });
      await direct.connect();
      await direct.query(`SELECT pg_notify('brk_silent', 'later')`);
      await direct.end();
      await sleep(1_000);
      state = { resumed, got };
    } finally {
      const closed = db.close().then(() => 'closed');
      state = { ...(state as object), close: await Promise.race([closed, sleep(3_000).then(() => 'still closing after 3 s')]) };
      await proxy.close();
      await closed;
    }
    expect(state).toEqual({ resumed: 1, got: ['later'], close: 'closed' });
  }, 30_000);

  it('close() while a reconnect attempt is under way leaves no socket open', async () => {
    const { proxy, db } = await behindProxy();
    await db.listen('brk_close', () => undefined, () => undefined);
    proxy.mode = 'blackhole';
    const before = proxy.accepted;
    proxy.dropAll();
    await waitUntil(() => proxy.accepted > before, 'a reconnect attempt under way');
    await db.close();
    await sleep(300); // the proxy sees the socket's close a moment later
    const openAfterClose = proxy.open;
    await proxy.close();
    expect(openAfterClose).toBe(0);
  }, 15_000);

  it('the database dropped: attempts keep backing off; close() stops them', async () => {
    const victim = await createScratchDatabase('balcao_brk_drop');
    const proxy = startProxy({ host: '127.0.0.1', port: Number(new URL(victim.url).port || 5432) });
    const url = new URL(victim.url);
    url.hostname = '127.0.0.1';
    url.port = String(await proxy.listen());
    const db = await openPostgres(url.toString());
    try {
      await db.listen('brk_dropped', () => undefined, () => undefined);
      const before = proxy.accepted;
      await victim.drop();
      await sleep(4_000);
      const attempts = proxy.accepted - before;
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(attempts).toBeLessThanOrEqual(5);
    } finally {
      await db.close();
    }
    const at = proxy.accepted;
    await sleep(2_500);
    expect(proxy.accepted - at).toBe(0);
    expect(proxy.open).toBe(0);
    await proxy.close();
  }, 30_000);

  it('POS-02 a catch-up whose query fails: the stream hears of the missed change anyway (retry or RESYNC)', async () => {
    const real = await openPostgres(scratch.url);
    await real.query('CREATE TABLE IF NOT EXISTS store_seq (store_id text PRIMARY KEY, last bigint NOT NULL)');
    await real.query(`INSERT INTO store_seq VALUES ('s1', 41) ON CONFLICT (store_id) DO UPDATE SET last = 41`);
    let failNext = 0;
    const flaky: Database = {
      ...real,
      async query(sql, params) {
        if (failNext > 0 && /store_seq/.test(sql)) {
          failNext--;
          throw new Error('sorry, too many clients already');
        }
        return real.query(sql, params);
      },
    } as Database;
    const hub = new ChangeHub(flaky);
    await hub.start();
    const heard: number[] = [];
    hub.subscribe('s1', (notice) => heard.push(notice.seq));
    try {
      failNext = 1;
      await real.query(`UPDATE store_seq SET last = 42 WHERE store_id = 's1'`); // written while not listening
      expect(await terminate(CHANGES_CHANNEL)).toBe(1);
      await sleep(3_000);
      expect(heard.length).toBeGreaterThan(0);
    } finally {
      await hub.close();
      await real.close();
    }
  }, 15_000);
});
