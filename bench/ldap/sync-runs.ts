/**
 * Runs ./sync-child.ts and measures around it what the child cannot see: the CPU slapd and the local
 * database server spent while the sync ran, and what the rest of the machine took (other processes,
 * hypervisor steal). The window opens at the child's `started` line (Loket built and migrated, the
 * admin resolved) and closes at its `result` line.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsxLoader } from '../lib/child.js';
import { measureCpu, processTicks, type CpuShare } from '../lib/cpu.js';
import { parseSyncChildLine, type SyncChildResult } from './sync-protocol.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

export interface SyncRun {
  label: string;
  result: SyncChildResult;
  /** CPU seconds of slapd and of the database server (local MariaDB only) during the sync. */
  slapdCpuSeconds: number;
  dbCpuSeconds: number | null;
  cpu: CpuShare | null;
}

export function runSyncChild(
  label: string,
  env: { databaseUrl: string; tablePrefix: string; backend: string; adminLogin: string },
  pids: { slapd: number; db: number[] },
  progress: (text: string) => void,
): Promise<SyncRun> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'sync-child.ts');
  // As for the server children (../lib/child.ts): e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a sync's CPU goes.
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', tsxLoader, script], {
    env: { ...process.env, BENCH_DB_URL: env.databaseUrl, BENCH_TABLE_PREFIX: env.tablePrefix, BENCH_BACKEND: env.backend, BENCH_ADMIN_LOGIN: env.adminLogin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
    process.stderr.write(chunk);
  });
  const dbTicks = () => pids.db.reduce((n, pid) => n + processTicks(pid), 0);

  return new Promise((resolve, reject) => {
    let window: { slapd: number; db: number; cpu: () => CpuShare | null } | null = null;
    let run: SyncRun | null = null;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = parseSyncChildLine(line);
      if (message?.type === 'started') {
        progress(`  ${label}: syncing (RSS ${(message.rss / 1048576).toFixed(0)} MiB at the start)`);
        window = { slapd: processTicks(pids.slapd), db: dbTicks(), cpu: measureCpu([process.pid, child.pid!, pids.slapd], pids.db) };
      } else if (message?.type === 'result' && window) {
        run = {
          label,
          result: message,
          slapdCpuSeconds: (processTicks(pids.slapd) - window.slapd) / TICKS_PER_SECOND,
          dbCpuSeconds: pids.db.length ? (dbTicks() - window.db) / TICKS_PER_SECOND : null,
          cpu: window.cpu(),
        };
      } else {
        process.stderr.write(`[sync child] ${line}\n`);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (run && code === 0) resolve(run);
      else reject(new Error(`the sync child exited with ${code} ${run ? '' : 'without a result'}: ${stderr.trim().slice(-2000)}`));
    });
  });
}
