/**
 * CPU seconds of this process and of the processes it started (Chromium and its helpers), read from
 * /proc (Linux; the descendants read 0 elsewhere). On a machine shared with other work, wall times grow
 * with the load while CPU time stays close to the work done, so the spreadsheet bench reports both.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat, clock ticks of 1/100 s) and the parent pid (field 4). */
function stat(pid: number): { parent: number; seconds: number } | null {
  try {
    // After the command name (which may hold spaces): state is field 3, so field n is at index n - 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { parent: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return null;
  }
}

/** A reading: this process's CPU seconds, and each descendant's by pid. */
export interface CpuReading {
  self: number;
  children: Map<number, number>;
}

export function readCpu(): CpuReading {
  const usage = process.cpuUsage();
  const children = new Map<number, number>();
  let pids: number[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return { self: (usage.user + usage.system) / 1e6, children };
  }
  const parentOf = new Map<number, number>();
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const entry = stat(pid);
    if (!entry) continue;
    parentOf.set(pid, entry.parent);
    seconds.set(pid, entry.seconds);
  }
  for (const pid of pids) {
    for (let up = parentOf.get(pid); up !== undefined && up > 1; up = parentOf.get(up)) {
      if (up === process.pid) {
        children.set(pid, seconds.get(pid) ?? 0);
        break;
      }
    }
  }
  return { self: (usage.user + usage.system) / 1e6, children };
}

/** CPU seconds between two readings: this process's, and the descendants' (those in both, or new in the second). */
export function cpuBetween(before: CpuReading, after: CpuReading): { self: number; children: number } {
  let children = 0;
  for (const [pid, seconds] of after.children) children += seconds - (before.children.get(pid) ?? 0);
  return { self: Number((after.self - before.self).toFixed(2)), children: Number(children.toFixed(2)) };
}
