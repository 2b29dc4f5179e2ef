import pg from 'pg';
import type { Database, Queryable } from './database.ts';

// int8 (sequence numbers) as JS numbers: our sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openPostgres(connectionString: string): Promise<Database> {
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
      let stopped = false;
      let retry: NodeJS.Timeout | null = null;
      // LISTEN needs a connection of its own that outlives any pooled query.
      const connect = async (): Promise<void> => {
        const client = new pg.Client({ connectionString });
        // An error or end of the established connection makes a new one; a failed attempt is retried by its caller.
        const lost = () => {
          if (current !== client) return;
          current = null;
          client.end().catch(() => undefined);
          reconnect(0);
        };
        client.on('error', lost);
        client.on('end', lost);
        client.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
        });
        try {
          await client.connect();
          await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        } catch (error) {
          await client.end().catch(() => undefined);
          throw error;
        }
        if (stopped) return void (await client.end().catch(() => undefined));
        current = client;
      };
      // 0.25 s, 0.5 s, 1 s … at most 30 s between attempts.
      const reconnect = (attempt: number) => {
        if (stopped) return;
        retry = setTimeout(() => {
          retry = null;
          connect().then(
            () => {
              if (!stopped) onResume?.();
            },
            () => reconnect(attempt + 1),
          );
        }, Math.min(30_000, 250 * 2 ** attempt));
        retry.unref();
      };
      await connect();
      const stop = async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        listeners.delete(stop);
        const client = current;
        current = null;
        await client?.end().catch(() => undefined);
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

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
