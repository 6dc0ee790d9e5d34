/** Markdown for the ticket bench: data, statements per create, the create runs, the checks, the portal runs. */
import { execFileSync } from 'node:child_process';
import { statementName } from '../effective-permissions/report.js';
import type { Statement } from '../effective-permissions/timing.js';
import type { LoadSample } from '../lib/load.js';
import { cpuText, mean, meanCpu, mib, ms, table } from '../lib/report.js';
import type { CountCheck } from './count-check.js';
import type { CreateSample } from './create-load.js';
import type { ReplayResult } from './replay.js';
import type { TicketFixture } from './setup.js';
import type { RecordedRequest } from './statements.js';

/** The roadmap's target for filing. */
export const TARGET_TICKETS_PER_SECOND = 500;

export interface CreateRuns {
  loket: CreateSample[];
  floor: CreateSample[];
  /** Kept runs that stayed above the noise limit in every try. */
  noisy: WeakSet<CreateSample>;
  discarded: number;
  /** Every measured try in order, discarded ones included. */
  tries: { side: 'loket' | 'floor'; sample: CreateSample }[];
}

export interface PortalOutcome {
  queries: string[];
  /** Queries that found at least one article. */
  found: number;
  suggest: LoadSample;
  newTicket: { sample: LoadSample } | { missing: number };
}

export interface DatabaseOutcome {
  name: string;
  tickets: number | null;
  /** Count and replay checks all as expected; null when not run. */
  lossless: boolean | null;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const ticketsPerSecond = (s: CreateSample): number => (s.durationSeconds > 0 ? (s.statuses.get(201) ?? 0) / s.durationSeconds : NaN);
const statusText = (statuses: Map<number, number>): string =>
  [...statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status}: ${int(n)}`)
    .join(', ') || 'none';

function sumStatuses(samples: CreateSample[]): Map<number, number> {
  const all = new Map<number, number>();
  for (const s of samples) for (const [status, n] of s.statuses) all.set(status, (all.get(status) ?? 0) + n);
  return all;
}

/** `free -g`'s memory line, as the machine looked when the bench started. */
export function memoryFacts(): string[] {
  try {
    const line = execFileSync('free', ['-g'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Mem:'));
    return line ? [`- \`free -g\`: ${line.replace(/\s+/g, ' ').trim()} (total, used, free, shared, buff/cache, available)`] : [];
  } catch {
    return [];
  }
}

export function dataLines(f: TicketFixture): string[] {
  return [
    `Created in ${fixed(f.seconds)} s: the shipped kb/ (${f.kbArticles} articles imported, ${f.kbTitles.length} of them English, published and public), group \`${f.group}\` with queue \`${f.queue}\`, ${int(f.customerUsers.length)} customer users in ${f.customers} customers (bulk-inserted), ${f.agents.length} agents holding \`create\` in the group with an API token each, and a customer user with a password and \`create\` there for the portal.`,
  ];
}

/** `select tickets`, or `begin` / `commit` for statements without a table. */
const nameOf = (sql: string, prefix: string): string => statementName(sql, prefix).replace(/ \?$/, '');

/** "select tickets ×2, insert ticket_messages, …" in order of first appearance. */
function summary(statements: Statement[], prefix: string): string {
  const counts = new Map<string, number>();
  for (const s of statements) counts.set(nameOf(s.sql, prefix), (counts.get(nameOf(s.sql, prefix)) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

export function statementLines(requests: RecordedRequest[], prefix: string): string[] {
  const [create] = requests;
  const lines = [
    table(
      ['One request (in-process server, after one warm-up create)', 'status', 'ms', 'SQL statements', 'their time, ms', 'which'],
      requests.map((r) => [r.label, String(r.status), ms(r.ms), String(r.statements.length), ms(r.statements.reduce((n, s) => n + (Number.isFinite(s.ms) ? s.ms : 0), 0)), summary(r.statements, prefix)]),
    ),
  ];
  if (create?.statements.length) {
    lines.push('', `The ${create.statements.length} statements of the create, in order (ms):`, '');
    lines.push(create.statements.map((s, i) => `${i + 1}. ${nameOf(s.sql, prefix)}${Number.isFinite(s.ms) ? ` (${s.ms.toFixed(2)})` : ''}`).join('; '));
  }
  return lines;
}

function sideRow(label: string, samples: CreateSample[], noisy: WeakSet<CreateSample>, ratio: string): string[] {
  const clean = samples.filter((s) => !noisy.has(s));
  const use = clean.length ? clean : samples;
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const timeouts = samples.reduce((n, s) => n + s.timeouts, 0);
  return [
    label,
    `${int(mean(use.map(ticketsPerSecond)))} (${samples.map((s) => `${int(ticketsPerSecond(s))}${noisy.has(s) ? '*' : ''}`).join(' / ')})`,
    ms(mean(use.map((s) => s.p50))),
    ms(mean(use.map((s) => s.p95))),
    ms(mean(use.map((s) => s.p99))),
    statusText(sumStatuses(samples)),
    `${errors} (${timeouts} timeouts)`,
    String(samples.reduce((n, s) => n + s.unanswered, 0)),
    cpuText(meanCpu(use.map((s) => s.cpu))),
    ratio,
  ];
}

export function createLines(runs: CreateRuns, settings: { maxNoise: number; retries: number }): { lines: string[]; ticketsPerSecond: number } {
  const rounds = runs.loket.map((l, i) => {
    const f = runs.floor[i];
    return { ratio: f ? ticketsPerSecond(l) / ticketsPerSecond(f) : NaN, noisy: runs.noisy.has(l) || (f ? runs.noisy.has(f) : true) };
  });
  const clean = rounds.filter((r) => !r.noisy);
  const headline = mean((clean.length ? clean : rounds).map((r) => r.ratio));
  const ratio = `${fixed(headline, 2)} (${rounds.map((r) => `${fixed(r.ratio, 2)}${r.noisy ? '*' : ''}`).join(' / ')})`;
  const cleanLoket = runs.loket.filter((s) => !runs.noisy.has(s));
  const loketRate = mean((cleanLoket.length ? cleanLoket : runs.loket).map(ticketsPerSecond));
  return {
    ticketsPerSecond: loketRate,
    lines: [
      table(
        ['Scenario', 'tickets/s mean (per run)', 'p50 ms', 'p95 ms', 'p99 ms', 'answers by status', 'socket errors', 'no answer at the stop', 'CPU elsewhere (mean)', 'Loket ÷ floor (per round)'],
        [sideRow('Loket POST /api/v1/tickets (agent tokens, `customerUser`)', runs.loket, runs.noisy, ratio), sideRow('bare Express POST /tickets: one INSERT (the floor)', runs.floor, runs.noisy, '')],
      ),
      '',
      `"tickets/s" counts 201 answers over the run's length; p50/p99 are autocannon's whole milliseconds, p95 comes from every response's latency. "No answer at the stop" is requests sent that had no answer when a run stopped by time (and any autocannon gave up on after its timeout): the server still finishes them, so they may leave tickets nobody was told about (see the count check). "CPU elsewhere" is in percent of both cores: other processes, hypervisor steal and, on MariaDB, the local database server. A run during which other processes and steal took over ${settings.maxNoise} % is marked *${settings.retries ? ` after ${settings.retries} repeats` : ''}; runs repeated for noise: ${runs.discarded}.`,
    ],
  };
}

export const memoryLine = (ready: number | null, after: number | null): string => `\nLoket server RSS: ${mib(ready)} when ready, ${mib(after)} after the create runs.`;

export function countLines(c: CountCheck, runs: CreateRuns): { lines: string[]; lossless: boolean } {
  const unacked = c.unacknowledged.inFlight + c.unacknowledged.answeredOtherwise + c.unacknowledged.unknownKey + c.unacknowledged.noKeyRow;
  const otherwise = statusText(c.answeredOtherwiseStatuses);
  const rows: [string, string, string, boolean][] = [
    ['tickets in the table', int(c.tickets), '', true],
    ['201 answers with a ticket number (warm-up, preflight and probes included)', int(c.acknowledged), '', true],
    ['201 answers without a ticket number', int(c.acksWithoutNumber), '0', c.acksWithoutNumber === 0],
    ['acknowledged numbers missing from the table (lost)', int(c.lost.length), '0', c.lost.length === 0],
    ['numbers in the table more than once (duplicates)', int(c.duplicateNumbers), '0', c.duplicateNumbers === 0],
    ['tickets without a number', int(c.nullNumbers), '0', c.nullNumbers === 0],
    ['numbers acknowledged for more than one key', int(c.duplicateAcks), '0', c.duplicateAcks === 0],
    ['tickets nobody was told about', int(unacked), `at most the ${int(c.unanswered)} requests without an answer`, unacked <= c.unanswered],
    ['… of them from a request without an answer (in flight at the stop, or timed out)', int(c.unacknowledged.inFlight), '', true],
    [`… of them from a request answered with something else (${otherwise})`, int(c.unacknowledged.answeredOtherwise), '0', c.unacknowledged.answeredOtherwise === 0],
    ['… of them with a key the bench never sent', int(c.unacknowledged.unknownKey), '0', c.unacknowledged.unknownKey === 0],
    ['… of them without an idempotency row', int(c.unacknowledged.noKeyRow), '0', c.unacknowledged.noKeyRow === 0],
    ['tickets without their first message', int(c.ticketsWithoutMessage), '0', c.ticketsWithoutMessage === 0],
    ['idempotency rows (`ticket.create`)', int(c.keyRows), `the number of tickets (${int(c.tickets)})`, c.keyRows === c.tickets],
  ];
  const lossless = rows.every((r) => r[3]);
  const measured = runs.tries.filter((t) => t.side === 'loket').reduce((n, t) => n + (t.sample.statuses.get(201) ?? 0), 0);
  return {
    lossless,
    lines: [
      table(['Check', 'found', 'expected', 'as expected'], rows.map(([check, found, expected, ok]) => [check, found, expected, ok ? 'yes' : '**no**'])),
      '',
      `Read with the bench's own connection once both servers were idle. ${int(measured)} of the acknowledged tickets came from the measured runs. A ticket nobody was told about is traced through the idempotency row its own transaction wrote to the request the bench sent with that key.`,
    ],
  };
}

export function replayLines(r: ReplayResult, concurrency: number): string[] {
  const ok = (r.statuses.get(200) ?? 0) === r.sent && r.otherNumber === 0 && r.tickets.after === r.tickets.before && r.keyRows.after === r.keyRows.before;
  return [
    table(
      ['Replay', 'result'],
      [
        ['acknowledged requests sent again (same token, body and Idempotency-Key)', int(r.sent)],
        ['answers by status', statusText(r.statuses)],
        ['answered with the number first given', `${int(r.sameNumber)} (other or none: ${int(r.otherNumber)})`],
        ['tickets before / after', `${int(r.tickets.before)} / ${int(r.tickets.after)}`],
        ['idempotency rows before / after', `${int(r.keyRows.before)} / ${int(r.keyRows.after)}`],
        [`latency p50 / p95 ms (${concurrency} at a time, fetch)`, `${ms(r.p50)} / ${ms(r.p95)}`],
      ],
    ),
    '',
    `All answered 200 with the first number and nothing was created: ${ok ? 'yes' : '**no**'}.`,
  ];
}

const pageRow = (label: string, s: LoadSample): string[] => [label, fixed(s.totalRequests / s.durationSeconds, 0), ms(s.p50), ms(s.p95), ms(s.p99), String(s.non2xx), String(s.errors), cpuText(s.cpu)];

export function portalLines(p: PortalOutcome, f: TicketFixture): string[] {
  const rows = [pageRow(`GET /api/v1/faq/suggest?q=… (${p.queries.length} prefixes of kb/ titles, customer session)`, p.suggest)];
  if ('sample' in p.newTicket) rows.push(pageRow('GET /portal/tickets/new (customer session)', p.newTicket.sample));
  const lines = [table(['Scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'socket errors', 'CPU elsewhere'], rows)];
  lines.push('', `The customer user \`${f.portalUser.login}\` signed in through POST /login; the suggest queries are the first 4, 8 and 14 characters of the ${f.kbTitles.length} English kb/ titles, ${p.found} of ${p.queries.length} find something.`);
  if ('missing' in p.newTicket) lines.push(`GET /portal/tickets/new answered ${p.newTicket.missing} for the signed-in customer user: the page is not there yet, so it was not measured.`);
  return lines;
}

export function targetLine(o: DatabaseOutcome): string {
  if (o.tickets === null) return `Target on ${o.name} (≥ ${TARGET_TICKETS_PER_SECOND} tickets/s, 0 lost, 0 duplicated): not measured.`;
  const rate = o.tickets >= TARGET_TICKETS_PER_SECOND ? `met (${int(o.tickets)} tickets/s)` : `**missed**: ${int(o.tickets)} tickets/s, ${int(TARGET_TICKETS_PER_SECOND - o.tickets)} short (${fixed((100 * o.tickets) / TARGET_TICKETS_PER_SECOND, 0)} % of the target)`;
  return `Target on ${o.name}: ≥ ${TARGET_TICKETS_PER_SECOND} tickets/s ${rate}; 0 lost, 0 duplicated, replay clean: ${o.lossless ? 'yes' : '**no**'}.`;
}
