import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LoketError, dependencyUnavailable, ruleViolation } from '../../errors.js';
import { assertMarkdownSize } from './limits.js';
import type { RenderedMarkdown } from './render.js';
import type { RenderFailure, RenderJob, WorkerReply } from './worker-protocol.js';

/** What services use: renders off the event loop and gives up on input that takes too long. */
export interface MarkdownRenderer {
  render(source: string): Promise<RenderedMarkdown>;
  close(): Promise<void>;
}

const DEFAULT_TIME_BUDGET_MS = 1000;
/** Generous: under tsx the worker compiles its sources first. */
const STARTUP_LIMIT_MS = 20_000;
const WORKER_HEAP_MB = 256;
/** Beside this file with the same extension: `.ts` when run through tsx, `.js` from dist/. */
const WORKER_URL = new URL(`./render-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface Job {
  id: number;
  source: string;
  resolve: (rendered: RenderedMarkdown) => void;
  reject: (error: Error) => void;
}

interface WorkerSession {
  worker: Worker;
  ready: boolean;
  startupTimer: NodeJS.Timeout;
}

const tooComplex = (): LoketError =>
  ruleViolation('The article is too complex to render; simplify it.', 'body', 'too_complex');

function errorOf(failure: RenderFailure): Error {
  switch (failure.kind) {
    case 'refused':
      return new LoketError({ status: failure.status, code: failure.code, message: failure.message, field: failure.field });
    case 'too_complex':
      return tooComplex();
    case 'failed':
      return new Error(`Rendering the article failed: ${failure.message}`);
  }
}

function isOutOfMemory(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * From dist/ the worker is plain JavaScript. From sources, tsx's `--import` hooks do not reach worker threads on
 * Node 20 (tsx registers them in the main thread only), so the worker registers tsx's require hook itself and
 * loads its TypeScript entry through it.
 */
function spawnWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { resourceLimits });
  // Resolved here, not in the worker: an eval'd worker resolves bare names from the working directory.
  const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const entry = fileURLToPath(WORKER_URL);
  // Written to run both as a script and as a module (`--input-type=module` is inherited by eval'd workers).
  const bootstrap = [
    `const load = process.getBuiltinModule('node:module').createRequire(${JSON.stringify(entry)});`,
    `load(${JSON.stringify(tsxRequireHook)}).register();`,
    `load(${JSON.stringify(entry)});`,
  ].join('\n');
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

/**
 * One long-lived worker renders one job at a time; the budget clock runs only while the worker has the job.
 * A job over budget costs the worker its life: it is terminated, the job rejected, and the jobs waiting behind
 * it go to a fresh worker. The worker does not keep the process alive while idle.
 */
export function createMarkdownRenderer(options: { timeBudgetMs?: number } = {}): MarkdownRenderer {
  const timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const waiting: Job[] = [];
  let running: { job: Job; timer: NodeJS.Timeout } | undefined;
  let current: WorkerSession | undefined;
  let nextId = 1;
  let closed = false;

  function discard(session: WorkerSession): void {
    clearTimeout(session.startupTimer);
    if (current === session) current = undefined;
    void session.worker.terminate();
  }

  function takeRunning(): Job | undefined {
    if (running === undefined) return undefined;
    clearTimeout(running.timer);
    const { job } = running;
    running = undefined;
    return job;
  }

  function start(): WorkerSession {
    const worker = spawnWorker();
    const session: WorkerSession = {
      worker,
      ready: false,
      startupTimer: setTimeout(() => onLost(session, new Error('The worker did not start in time.')), STARTUP_LIMIT_MS),
    };
    worker.on('message', (reply: WorkerReply) => onReply(session, reply));
    worker.on('error', (error) => onLost(session, error));
    worker.on('exit', (exitCode) => onLost(session, new Error(`The worker stopped (exit code ${exitCode}).`)));
    current = session;
    return session;
  }

  function pump(): void {
    if (closed || running !== undefined) return;
    if (waiting.length === 0) {
      current?.worker.unref();
      return;
    }
    const session = current ?? start();
    session.worker.ref();
    if (!session.ready) return;
    const job = waiting.shift()!;
    running = { job, timer: setTimeout(() => onTimeout(session), timeBudgetMs) };
    const message: RenderJob = { id: job.id, source: job.source };
    session.worker.postMessage(message);
  }

  function onReply(session: WorkerSession, reply: WorkerReply): void {
    if (current !== session) return;
    if (reply.type === 'ready') {
      session.ready = true;
      clearTimeout(session.startupTimer);
    } else if (running?.job.id === reply.id) {
      const job = takeRunning()!;
      if (reply.type === 'rendered') job.resolve(reply.result);
      else job.reject(errorOf(reply.failure));
    }
    pump();
  }

  function onTimeout(session: WorkerSession): void {
    if (current !== session) return;
    const job = takeRunning();
    discard(session);
    job?.reject(tooComplex());
    pump();
  }

  function onLost(session: WorkerSession, error: Error): void {
    if (current !== session) return;
    discard(session);
    const job = takeRunning();
    if (!session.ready) {
      // Start-up itself failed: a fresh worker would fail the same way, so everybody waiting is told.
      const unavailable = dependencyUnavailable('The article renderer could not start.', error);
      for (const waiter of waiting.splice(0)) waiter.reject(unavailable);
      return;
    }
    job?.reject(isOutOfMemory(error) ? tooComplex() : new Error(`The article renderer failed: ${error.message}`, { cause: error }));
    pump();
  }

  return {
    async render(source) {
      if (closed) throw new Error('The markdown renderer is closed.');
      assertMarkdownSize(source);
      return new Promise<RenderedMarkdown>((resolve, reject) => {
        waiting.push({ id: nextId++, source, resolve, reject });
        pump();
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new Error('The markdown renderer was closed.');
      takeRunning()?.reject(error);
      for (const waiter of waiting.splice(0)) waiter.reject(error);
      const session = current;
      if (session === undefined) return;
      clearTimeout(session.startupTimer);
      current = undefined;
      await session.worker.terminate();
    },
  };
}
