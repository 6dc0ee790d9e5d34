/** Worker thread entry: renders jobs one at a time, so the main thread can give up on one that takes too long. */
import { parentPort } from 'node:worker_threads';
import { LoketError } from '../../errors.js';
import { renderMarkdown } from './render.js';
import type { RenderFailure, RenderJob, WorkerReply } from './worker-protocol.js';

/** Warms the parser before the first real job, so its time budget measures rendering, not start-up. */
const WARM_UP = '# Warm-up\n\nSome *text* with a [link](https://example.com) and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';

function failureOf(error: unknown): RenderFailure {
  if (error instanceof LoketError) {
    return { kind: 'refused', status: error.status, code: error.code, message: error.message, field: error.field };
  }
  // Deep nesting that still overflows the stack is the input's fault, like a timeout.
  if (error instanceof RangeError) return { kind: 'too_complex' };
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}

function reply(port: NonNullable<typeof parentPort>, message: WorkerReply): void {
  port.postMessage(message);
}

if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (job: RenderJob) => {
    try {
      reply(port, { type: 'rendered', id: job.id, result: renderMarkdown(job.source) });
    } catch (error) {
      reply(port, { type: 'failed', id: job.id, failure: failureOf(error) });
    }
  });
  renderMarkdown(WARM_UP);
  reply(port, { type: 'ready' });
}
