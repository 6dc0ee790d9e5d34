import type { Actor } from '../../access/actor.js';
import type { ApprovalView, FormRun, FormsService } from '../types.js';
import { valueRows, type ValueRow } from './form-view.js';
import type { FormPaths } from './paths.js';

/** A run as its page shows it: values with labels, approvals per step, the actions, the request ticket. */
export interface RunView {
  run: FormRun;
  values: ValueRow[];
  steps: { step: number; approvals: ApprovalView[] }[];
  ticketHref: string | null;
  mine: boolean;
  mayCancel: boolean;
}

export const isRequester = (actor: Actor, run: FormRun): boolean => actor.principal.type === run.requester.kind && actor.principal.id === run.requester.id;

/** Approvals by step, in order; within a step in the order the engine gave them. */
export function stepsOf(approvals: readonly ApprovalView[]): RunView['steps'] {
  const steps = new Map<number, ApprovalView[]>();
  for (const a of approvals) steps.set(a.step, [...(steps.get(a.step) ?? []), a]);
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([step, list]) => ({ step, approvals: list }));
}

export async function runView(forms: FormsService, actor: Actor, run: FormRun, language: string, paths: FormPaths): Promise<RunView> {
  const mine = isRequester(actor, run);
  return {
    run,
    values: await valueRows(forms, actor, run, language),
    steps: stepsOf(run.approvals),
    // Customers read the ticket in the portal, staff in the agent area.
    ticketHref: run.ticketNumber === null ? null : paths.ticket(run.ticketNumber, actor.kind !== 'customer'),
    mine,
    mayCancel: mine && run.state === 'awaiting-approval',
  };
}

/** "awaiting approval by A, B" for lists: who must decide now. */
export const pendingApprovers = (run: FormRun): string[] => run.approvals.filter((a) => a.state === 'pending').map((a) => a.approver.name || a.approver.login);
