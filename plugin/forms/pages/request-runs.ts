import type { Actor } from '../../access/actor.js';
import type { RunsService, RunState } from '../types.js';
import type { TicketSummary } from '../../tickets/ticket-system.js';

/** A request ticket's form run as its line in the ticket list shows it. */
export interface RequestRunLine {
  runId: number;
  state: RunState;
  /** Who must decide now, while the run awaits approval. */
  pending: string[];
}

/** How many of one's runs are read to match them with the request tickets on the page. */
const RUNS_READ = 200;

/**
 * The runs behind the request tickets on a page of the list, by ticket number: the runs the person
 * requested and those waiting for their approval (the runs service decides which they may see). A
 * ticket whose run is neither shows as a plain ticket.
 */
export async function requestRunsOf(formRuns: Pick<RunsService, 'list' | 'myApprovals'> | undefined, actor: Actor, rows: readonly TicketSummary[]): Promise<Record<string, RequestRunLine>> {
  if (!formRuns || !rows.some((r) => r.type === 'request')) return {};
  const [mine, approvals] = await Promise.all([formRuns.list(actor, { scope: 'mine', limit: RUNS_READ, offset: 0 }), formRuns.myApprovals(actor)]);
  const lines: Record<string, RequestRunLine> = {};
  for (const run of [...mine.items, ...approvals.map((a) => a.run)]) {
    if (run.ticketNumber === null) continue;
    lines[run.ticketNumber] = { runId: run.id, state: run.state, pending: run.approvals.filter((a) => a.state === 'pending').map((a) => a.approver.name || a.approver.login) };
  }
  return lines;
}
