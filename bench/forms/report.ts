/** Markdown lines of the forms bench: the loop figures, the exactly-once check, the replay check. */
import { percentile } from '../lib/load.js';
import type { OnceCheck, ReplayCheck } from './check.js';
import type { LoopSample, Step } from './loop.js';

const ms = (values: number[], p: number): string => (values.length ? percentile(values, p).toFixed(1) : '–');
const list = (m: Map<string | number, number>): string => [...m].map(([k, n]) => `${k} × ${n}`).join(', ') || 'none';

export function loopLines(sample: LoopSample, pairs: number): string[] {
  const steps: [Step, string][] = [
    ['submit', 'submit: POST /api/v1/forms/:key/runs (requester, Idempotency-Key)'],
    ['list', 'list: GET /api/v1/approvals (approver)'],
    ['approve', 'approve: POST /api/v1/approvals/:id/approve (approver; executes the grant)'],
  ];
  return [
    `Runs completed: **${sample.completed}** in ${sample.seconds.toFixed(1)} s = **${(sample.completed / sample.seconds).toFixed(1)} runs/s** (${pairs} concurrent requester/approver pairs, each loop three requests one after another).`,
    '',
    '| Step | Requests | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...steps.map(([step, label]) => {
      const v = sample.latencies[step];
      return `| ${label} | ${v.length} | ${ms(v, 50)} | ${ms(v, 95)} | ${ms(v, 99)} | ${ms(v, 100)} |`;
    }),
    '',
    `Failed steps: ${list(sample.failures)}${sample.firstFailure ? ` (first: \`${sample.firstFailure.replace(/`/g, "'")}\`)` : ''}.`,
  ];
}

export function onceLines(c: OnceCheck): { lines: string[]; ok: boolean } {
  const untold = c.counts.runs - (c.acknowledged - c.duplicateIds - c.missingRuns);
  const ok = c.duplicateIds === 0 && c.missingRuns === 0 && untold <= c.unacknowledged && c.runsWithoutTicket === 0 && c.sharedTickets === 0 && c.counts.requestTickets === c.counts.runs && c.badGrants === 0 && c.counts.grants === c.completedRuns;
  return {
    ok,
    lines: [
      `- Submits sent (warm-up included): ${c.acknowledged + c.unacknowledged}; acknowledged with 201: ${c.acknowledged}; other answers or none: ${c.unacknowledged}`,
      `- Run rows of the bench form: ${c.counts.runs} (states: ${list(c.states)}); acknowledged run ids seen twice: ${c.duplicateIds}; missing from the table: ${c.missingRuns}; runs nobody was told about: ${untold} (at most the ${c.unacknowledged} unacknowledged submits may have made one)`,
      `- Errors of runs that did not complete: ${list(c.runErrors)}`,
      `- Request tickets: ${c.counts.requestTickets}; runs without one: ${c.runsWithoutTicket}; tickets shared by two runs: ${c.sharedTickets}`,
      `- Executed grants (audit records naming a run): ${c.counts.grants} for ${c.completedRuns} completed runs; runs with a grant count other than one if completed, zero if not: ${c.badGrants}`,
      `- **${ok ? 'Exactly once: yes' : 'Exactly once: NO'}**`,
    ],
  };
}

export function replayLines(r: ReplayCheck, concurrency: number): { lines: string[]; ok: boolean } {
  const ok = r.sameRun === r.sent && r.replayedHeader === r.sent && r.after.runs === r.before.runs && r.after.requestTickets === r.before.requestTickets && r.after.grants === r.before.grants;
  return {
    ok,
    lines: [
      `- ${r.sent} acknowledged submits sent again with their keys and bodies (${concurrency} at a time): statuses ${list(r.statuses)}; same run id ${r.sameRun}; \`Idempotent-Replayed: true\` ${r.replayedHeader}`,
      `- Runs ${r.before.runs} → ${r.after.runs}, request tickets ${r.before.requestTickets} → ${r.after.requestTickets}, executed grants ${r.before.grants} → ${r.after.grants}`,
      `- **${ok ? 'Replays created nothing: yes' : 'Replays created nothing: NO'}**`,
    ],
  };
}
