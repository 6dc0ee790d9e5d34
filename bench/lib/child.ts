import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseChildMessage, type ReadyMessage, type StatsMessage } from './protocol.js';

/** The tsx loader as a file URL, so `node --import` finds it whatever the child's working directory. */
export const tsxLoader = import.meta.resolve('tsx');

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS); null off Linux. */
export function rssOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface ServerChild {
  ready: ReadyMessage;
  pid: number;
  rss(): number | null;
  stats(): Promise<StatsMessage>;
  stop(): Promise<void>;
}

/**
 * Starts `node --expose-gc --import tsx <script>` and waits for its `ready` line. BENCH_SERVER_NODE_ARGS adds
 * Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the servers (NODE_OPTIONS refuses those).
 */
export function startServerChild(script: string, env: Record<string, string>, label: string): Promise<ServerChild> {
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, '--expose-gc', '--import', tsxLoader, script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
    process.stderr.write(`[${label}] ${chunk}`);
  });
  const waiting: ((message: StatsMessage) => void)[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} before it was ready: ${stderr.trim()}`)));
    child.once('error', reject);
    lines.on('line', (line) => {
      const message = parseChildMessage(line);
      if (message?.type === 'ready') {
        resolve({
          ready: message,
          pid: child.pid!,
          rss: () => rssOf(child.pid),
          stats: () =>
            new Promise<StatsMessage>((res) => {
              waiting.push(res);
              child.stdin?.write('stats\n');
            }),
          async stop() {
            if (child.exitCode === null) {
              child.stdin?.write('stop\n');
              const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
              await exited;
              clearTimeout(timer);
            }
          },
        });
      } else if (message?.type === 'stats') {
        waiting.shift()?.(message);
      } else {
        process.stderr.write(`[${label}] unexpected stdout: ${line}\n`);
      }
    });
  });
}
