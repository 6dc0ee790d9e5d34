import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { rssOf, tsxLoader } from './child.js';

/** How the standalone host is started: compiled (`npm start`) or from source through tsx. */
export interface HostEntry {
  label: string;
  args: string[];
  /** Node arguments that only import the plugin's entry module and exit: the module-loading share of a start. */
  importArgs: string[];
}

const importOnly = (file: string): string[] => ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)});`];

/** The compiled host when dist/ is current (as scripts/build-if-needed.mjs decides), and always the tsx one. */
export async function hostEntries(root: string): Promise<{ entries: HostEntry[]; distNote: string }> {
  const tsx: HostEntry = {
    label: 'tsx (node --import tsx plugin/host/main.ts)',
    args: ['--import', tsxLoader, join(root, 'plugin', 'host', 'main.ts')],
    importArgs: ['--import', tsxLoader, ...importOnly(join(root, 'plugin', 'index.ts'))],
  };
  const main = join(root, 'dist', 'plugin', 'host', 'main.js');
  if (!existsSync(main)) return { entries: [tsx], distNote: 'dist/ is not built: only the tsx start was measured' };
  const state = (await import(pathToFileURL(join(root, 'scripts', 'build-state.mjs')).href)) as { buildIsCurrent(root: string): boolean };
  if (!state.buildIsCurrent(root)) {
    return { entries: [tsx], distNote: 'dist/ is older than the sources: only the tsx start was measured (run npm run build first)' };
  }
  const dist: HostEntry = {
    label: 'dist (node dist/plugin/host/main.js)',
    args: [main],
    importArgs: importOnly(join(root, 'dist', 'plugin', 'index.js')),
  };
  return { entries: [dist, tsx], distNote: 'dist/ is current' };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawning `node <importArgs>` until it exits (it must exit 0). */
export function timeImport(entry: HostEntry): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, entry.importArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`importing the plugin failed (${code}): ${stderr.trim()}`)),
    );
  });
}

function statusOf(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? null));
    });
    req.once('error', () => resolve(null));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

export interface StartedHost {
  /** Milliseconds from spawn until GET /healthz answered 200. */
  ms: number;
  pid: number;
  url: string;
  rss(): number | null;
  stop(): Promise<void>;
}

/** Host settings the bench must not inherit from the shell running it. */
const DROPPED_ENV = ['PORT', 'DATABASE_URL', 'BASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'SESSION_SECRET', 'SMTP_URL', 'TRUST_PROXY', 'LOKET_CONFIG', 'LOKET_DATA_DIR'];

/**
 * Spawns the standalone host as `npm start` would (NODE_ENV=production, PORT, DATABASE_URL, SESSION_SECRET;
 * the table prefix through a LOKET_CONFIG file) and times it until GET /healthz answers 200.
 */
export async function startHost(entry: HostEntry, db: { databaseUrl: string; tablePrefix: string }): Promise<StartedHost> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-bench-host-'));
  const config = join(dir, 'loket.config.json');
  writeFileSync(config, JSON.stringify({ tablePrefix: db.tablePrefix }));
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !DROPPED_ENV.includes(key)) env[key] = value;
  Object.assign(env, {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: db.databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOKET_CONFIG: config,
    LOKET_DATA_DIR: join(dir, 'data'),
  });
  const url = `http://127.0.0.1:${port}`;

  const started = performance.now();
  const child = spawn(process.execPath, entry.args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the host exited with ${child.exitCode} before /healthz answered: ${stderr.trim()}`);
    }
    if ((await statusOf(`${url}/healthz`)) === 200) break;
    if (performance.now() - started > 60_000) {
      await stop();
      throw new Error(`the host did not answer /healthz within 60 s: ${stderr.trim()}`);
    }
    await sleep(5);
  }
  const ms = performance.now() - started;
  return { ms, pid: child.pid!, url, rss: () => rssOf(child.pid), stop };
}
