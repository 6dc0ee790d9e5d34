import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a run, so a clean run can be told from one that competed with
 * something else on this shared 2-core VM. From /proc/stat and /proc/<pid>/stat, in percent of all cores:
 *   steal  time the hypervisor gave to other guests (the main source of noise on a small VM)
 *   db     the local database server (mariadbd/mysqld), when asked for
 *   other  every other process: not the bench, its server children or the children it has reaped
 *          (cold-start hosts), not the database server
 * Linux only; elsewhere the measurement is null.
 */
export interface CpuShare {
  other: number;
  steal: number;
  db: number | null;
}

interface Snapshot {
  busy: number;
  steal: number;
  total: number;
  own: number;
  db: number;
}

function machineTicks(): { busy: number; steal: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user + nice + system + irq + softirq;
    return { busy, steal, total: busy + steal + idle + iowait };
  } catch {
    return null;
  }
}

/** CPU time of a process and of the children it has reaped, in clock ticks; 0 when it cannot be read. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, and cutime, cstime: the CPU of children it has waited for (exited cold-start hosts).
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
}

/** The pids of a MariaDB/MySQL server on this machine (read only: used to attribute its CPU time). */
export function localDatabaseServerPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
          return comm === 'mariadbd' || comm === 'mysqld';
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

const sum = (pids: number[]) => pids.reduce((total, pid) => total + processTicks(pid), 0);

function snapshot(own: number[], db: number[]): Snapshot | null {
  const machine = machineTicks();
  return machine ? { ...machine, own: sum(own), db: sum(db) } : null;
}

/** Starts measuring; call the result at the end of the run. */
export function measureCpu(ownPids: number[], dbPids: number[] = []): () => CpuShare | null {
  const start = snapshot(ownPids, dbPids);
  return () => {
    const end = snapshot(ownPids, dbPids);
    if (!start || !end || end.total === start.total) return null;
    const total = end.total - start.total;
    const db = end.db - start.db;
    const other = end.busy - start.busy - (end.own - start.own) - db;
    return {
      other: Math.max(0, (100 * other) / total),
      steal: (100 * (end.steal - start.steal)) / total,
      db: dbPids.length ? (100 * db) / total : null,
    };
  };
}
