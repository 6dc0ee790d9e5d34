import type { RenderedMarkdown } from './render.js';

/** Messages between `renderer.ts` and `render-worker.ts`. */
export interface RenderJob {
  id: number;
  source: string;
}

/** Why a job failed, in a form that survives structured cloning (class instances do not). */
export type RenderFailure =
  | { kind: 'refused'; status: number; code: string; message: string; field: string | undefined }
  | { kind: 'too_complex' }
  | { kind: 'failed'; message: string };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'rendered'; id: number; result: RenderedMarkdown }
  | { type: 'failed'; id: number; failure: RenderFailure };
