import pg from 'pg';
import type { Database, Queryable } from './database.ts';

// int8 (sequence numbers) as JS numbers: our sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** How the listening connections notice trouble (milliseconds); tests shorten them. */
export interface ListenTiming {
  /** How long making the listening connection may take before the attempt fails (and is tried again). */
  connectTimeoutMs: number;
  /** How often the listening connection is asked `SELECT 1`, and how long its answer may take before it is ended as dead. */
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
}

export const LISTEN_TIMING: ListenTiming = { connectTimeoutMs: 5_000, heartbeatMs: 30_000, heartbeatTimeoutMs: 10_000 };

export async function openPostgres(connectionString: string, listenTiming: ListenTiming = LISTEN_TIMING): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client's network error would otherwise crash the process.
  pool.on('error', () => undefined);
  /** The stop function of each subscription (close() stops them all). */
  const listeners = new Set<() => Promise<void>>();

  const queryOn = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
  });

  return {
    kind: 'postgresql',
    ...queryOn(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload, onResume) {
      let current: pg.Client | null = null;
      /** A connection being made (first or again): stop() ends it too. */
      let connecting: pg.Client | null = null;
      let stopped = false;
      let retry: NodeJS.Timeout | null = null;
      // LISTEN needs a connection of its own that outlives any pooled query.
      const connect = async (): Promise<void> => {
        // A connection attempt that hangs (an address that accepts and never answers) fails, and is tried again.
        // Named, so an operator (and a test) finds it in pg_stat_activity: `balcao listen <channel>`.
        const client = new pg.Client({ connectionString, connectionTimeoutMillis: listenTiming.connectTimeoutMs, keepAlive: true, application_name: `balcao listen ${channel}` });
        // An error or end of the established connection makes a new one; a failed attempt is retried by its caller.
        const lost = () => {
          if (current !== client) return;
          current = null;
          void endClient(client);
          reconnect(0);
        };
        client.on('error', lost);
        client.on('end', lost);
        client.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
        });
        connecting = client;
        try {
          await client.connect();
          await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        } catch (error) {
          await endClient(client);
          throw error;
        } finally {
          if (connecting === client) connecting = null;
        }
        if (stopped) return void (await endClient(client));
        current = client;
      };
      // 0.25 s, 0.5 s, 1 s … at most 30 s between attempts.
      const reconnect = (attempt: number) => {
        if (stopped) return;
        retry = setTimeout(() => {
          retry = null;
          connect().then(
            () => resume(0),
            () => reconnect(attempt + 1),
          );
        }, backoffMs(attempt));
        retry.unref();
      };
      // Notices sent while not listening are lost: the subscriber catches up, and a catch-up that fails (the
      // database just came back, its connections all taken) is tried again with the same backoff, never thrown.
      const resume = (attempt: number) => {
        if (stopped || !onResume) return;
        Promise.resolve()
          .then(onResume)
          .catch(() => {
            if (stopped) return;
            setTimeout(() => resume(attempt + 1), backoffMs(attempt)).unref();
          });
      };
      // A connection that died without a word (a NAT or proxy that forgot it: no FIN, no RST) stays "open"
      // for ever: a query on it that gets no answer in time ends it, and a new one is made.
      const heartbeat = setInterval(() => {
        const client = current;
        if (!client) return;
        const silent = setTimeout(() => destroyClient(client), listenTiming.heartbeatTimeoutMs);
        client.query('SELECT 1').then(
          () => clearTimeout(silent),
          () => clearTimeout(silent),
        );
      }, listenTiming.heartbeatMs);
      heartbeat.unref();
      try {
        await connect();
      } catch (error) {
        clearInterval(heartbeat);
        throw error;
      }
      const stop = async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        clearInterval(heartbeat);
        listeners.delete(stop);
        const [established, attempt] = [current, connecting];
        current = null;
        connecting = null;
        // An attempt still connecting has nothing to end politely: its socket goes at once.
        if (attempt) destroyClient(attempt);
        await endClient(established);
      };
      listeners.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 250 * 2 ** attempt);
}

/** The client's socket, destroyed: its end and error events follow (a dead peer never answers a polite end). */
function destroyClient(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Ends a client, politely if its peer answers within 2 s, else by destroying its socket. */
async function endClient(client: pg.Client | null): Promise<void> {
  if (!client) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      destroyClient(client);
      resolve();
    }, 2_000);
    timer.unref();
  });
  await Promise.race([client.end().catch(() => undefined), late]);
  clearTimeout(timer);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
