/** The lines ./sync-child.ts prints on stdout, one JSON object each. */
import type { StatementKind } from './statements.js';

export interface SyncChildStarted {
  type: 'started';
  rss: number;
}

export interface SyncChildResult {
  type: 'result';
  /** The sync report's counts (created, updated, unchanged, …). */
  counts: Record<string, number>;
  refused: boolean;
  wallMs: number;
  /** User + system CPU of the Loket process during the sync. */
  cpuMs: number;
  /** When each phase (users, groups, deactivations, done) was first reported, from the start. */
  phases: { phase: string; atMs: number }[];
  statements: StatementKind[];
  rssAtStart: number;
  rssAtEnd: number;
  /** getrusage maxRSS of the process, in bytes. */
  maxRss: number;
}

export function parseSyncChildLine(line: string): SyncChildStarted | SyncChildResult | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) return null;
  if (value.type === 'started' && 'rss' in value && typeof value.rss === 'number') return { type: 'started', rss: value.rss };
  // The child is ours and writes the result with the type above; its shape is trusted once the tag matches.
  if (value.type === 'result' && 'counts' in value && 'wallMs' in value) return value as SyncChildResult;
  return null;
}
