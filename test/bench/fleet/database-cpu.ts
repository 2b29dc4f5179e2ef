/**
 * CPU seconds PostgreSQL spent for one database: the sum of user and system time (/proc/<pid>/stat)
 * of every backend connected to it. On a machine shared with other work, wall times grow with the
 * load while CPU time stays close to the work done, so the benches report both. Only for a local
 * PostgreSQL on Linux (null otherwise); a backend that ends between two readings takes its time
 * with it, so read around a phase in which the server's pool keeps its connections.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

function processCpuSeconds(pid: number): number {
  // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks, 100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A reading: CPU seconds by backend pid. */
export type DatabaseCpu = Map<number, number>;

/** Reads the CPU time of the backends of the database at `url` (its own connection excluded); null when not readable. */
export async function readDatabaseCpu(url: string): Promise<DatabaseCpu | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return new Map(rows.map((row) => [row.pid, processCpuSeconds(row.pid)]));
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CPU seconds spent between two readings by the backends in both, or that appeared in the second; null when either is missing. */
export function databaseCpuBetween(before: DatabaseCpu | null, after: DatabaseCpu | null): number | null {
  if (!before || !after) return null;
  let seconds = 0;
  for (const [pid, cpu] of after) seconds += cpu - (before.get(pid) ?? 0);
  return Number(seconds.toFixed(2));
}
