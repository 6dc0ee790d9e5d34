/** Markdown for the effective-permissions bench: data, in-process timings, statements per request, plans, HTTP. */
import type { LoadSample } from '../lib/load.js';
import { cpuText, mean, meanCpu, table } from '../lib/report.js';
import { AREAS, SERVICES_PER_AREA, type Plan } from './fixture.js';
import type { HttpResult, PairResult } from './http-runs.js';
import type { InProcess } from './in-process.js';
import type { RequestStatements } from './request-statements.js';
import { distribution, type Statement } from './timing.js';

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
/** Milliseconds with the precision their size deserves. */
const msText = (n: number) => (!Number.isFinite(n) ? 'n/a' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** `select customer_users`: the verb and the first table a statement names, without the table prefix. */
export function statementName(sql: string, prefix: string): string {
  const verb = (/^\s*(\w+)/.exec(sql)?.[1] ?? '?').toLowerCase();
  const table = /\b(?:from|into|update)\s+[`"]?(\w+)[`"]?/i.exec(sql)?.[1] ?? '?';
  return `${verb} ${table.startsWith(prefix) ? table.slice(prefix.length) : table}`;
}

/** "select sessions, select agents ×2, …" in order of first appearance. */
export function statementSummary(statements: Statement[], prefix: string): string {
  const counts = new Map<string, number>();
  for (const s of statements) {
    const name = statementName(s.sql, prefix);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

export function dataLines(input: {
  plan: Plan;
  setupSeconds: number;
  members: { count: number; groupRows: number; searchRows: number; seconds: number };
  inProcess: InProcess;
}): string[] {
  const { plan } = input;
  const s = input.inProcess.size;
  const groupsOf = (grants: { group: string }[]) => new Set(grants.map((g) => g.group)).size;
  const range = (values: number[]) => (Math.min(...values) === Math.max(...values) ? String(values[0]) : `${Math.min(...values)} to ${Math.max(...values)}`);
  return [
    `Created through Loket's services in ${fixed(input.setupSeconds)} s: ${plan.customers.length} customers, ${plan.groups.length} groups, ${plan.services.length} services (${AREAS} areas with ${SERVICES_PER_AREA} children each); one customer user in all ${plan.customers.length} customers (one primary, four extra) with direct grants in ${groupsOf(plan.userGrants)} groups, each customer granting ${range(plan.customerGrants.map((c) => groupsOf(c.grants)))} groups, default grants for all customer users (${groupsOf(plan.defaultGrants[0]!.grants)} groups) and for all customers (${groupsOf(plan.defaultGrants[1]!.grants)}); services assigned to the user (${plan.userServices.length}), to each customer (${range(plan.customerServices.map((c) => c.services.length))}), to each group (${range(plan.groupServices.map((g) => g.services.length))}) and by default (${plan.defaultServices.length}). Bulk-inserted in ${fixed(input.members.seconds)} s: ${int(input.members.count)} customer users as members of \`${plan.matrixGroup}\` (${int(input.members.groupRows)} group rows, ${int(input.members.searchRows)} search-term rows).`,
    '',
    `The user's effective permissions: ${s.cells} cells (group × type) in ${s.groups} groups, ${s.implied} of them only implied by \`rw\`, with ${s.groupReasons} reasons; ${s.services} entitled services with ${s.serviceReasons} reasons; ${int(s.jsonBytes)} bytes of JSON. The computation over the plan's inputs gives the same cells, services and reasons as the service reading the database: ${input.inProcess.matchesService ? 'yes' : 'NO'}.`,
  ];
}

export function inProcessLines(p: InProcess, prefix: string, targetMs: number): string[] {
  const c = distribution(p.computation.values);
  const computeRow = [
    '`computeEffectivePermissions` (pure, µs)',
    int(c.n),
    fixed(c.p50),
    fixed(c.p95),
    fixed(c.p99),
    fixed(c.max, 0),
    p.computation.roundP95.map((v) => fixed(v)).join(' / '),
    '0',
    cpuText(p.computation.cpu),
  ];
  const rows = p.calls.map((m) => {
    const d = distribution(m.timed.values);
    return [m.label, int(d.n), msText(d.p50), msText(d.p95), msText(d.p99), msText(d.max), m.timed.roundP95.map(msText).join(' / '), `${m.statements.length}: ${statementSummary(m.statements, prefix)}`, cpuText(m.timed.cpu)];
  });
  const met = c.p95 < targetMs * 1000;
  return [
    table(['In process, one call at a time', 'calls', 'p50', 'p95', 'p99', 'max', 'p95 per round', 'SQL statements per call', 'CPU elsewhere'], [computeRow]),
    '',
    table(['In process, one call at a time (ms)', 'calls', 'p50', 'p95', 'p99', 'max', 'p95 per round', 'SQL statements per call', 'CPU elsewhere'], rows),
    '',
    `Target p95 < ${targetMs} ms for the computation: **${met ? 'met' : 'not met'}** (p95 ${fixed(c.p95)} µs = ${fixed(c.p95 / 1000, 3)} ms).`,
  ];
}

export function requestLines(requests: RequestStatements[], prefix: string): string[] {
  return [
    table(
      ['One request (in-process server, second of two)', 'status', 'SQL statements', 'their time, ms', 'which'],
      requests.map((r) => [r.label, String(r.status), String(r.statements.length), msText(r.statements.reduce((n, s) => n + (Number.isFinite(s.ms) ? s.ms : 0), 0)), statementSummary(r.statements, prefix)]),
    ),
  ];
}

export function compactPlanLines(title: string, statements: { name: string; ms: number; plan: string[] }[]): string[] {
  return [
    `${title}:`,
    '',
    table(['#', 'statement', 'ms', 'plan'], statements.map((s, i) => [String(i + 1), s.name, msText(s.ms), s.plan.map((step) => step.trim()).join(' · ').replace(/\|/g, '\\|')])),
  ];
}

export function planLines(plans: { title: string; sql: string; ms: number; plan: string[] }[]): string[] {
  const out: string[] = [];
  for (const p of plans) out.push(`${p.title} (${msText(p.ms)} ms in the recorded call):`, '', '```', p.sql, '', ...p.plan, '```', '');
  return out;
}

interface Side {
  rps: number;
  perRun: string;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpu: string;
}

function side(samples: LoadSample[], noisy: WeakSet<LoadSample>): Side {
  const clean = samples.filter((s) => !noisy.has(s));
  const use = clean.length ? clean : samples;
  return {
    rps: mean(use.map((s) => s.requestsPerSecond)),
    perRun: samples.map((s) => `${Math.round(s.requestsPerSecond)}${noisy.has(s) ? '*' : ''}`).join(' / '),
    p50: mean(use.map((s) => s.p50)),
    p95: mean(use.map((s) => s.p95)),
    p99: mean(use.map((s) => s.p99)),
    non2xx: samples.reduce((n, s) => n + s.non2xx, 0),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    cpu: cpuText(meanCpu(use.map((s) => s.cpu))),
  };
}

/** A's req/s ÷ B's, per round; the headline is the mean over rounds where neither side was noisy (if any). */
function ratio(result: PairResult, noisy: WeakSet<LoadSample>): string {
  const rounds = result.a.map((a, i) => {
    const b = result.b[i]!;
    return { value: a.requestsPerSecond / b.requestsPerSecond, noisy: noisy.has(a) || noisy.has(b) };
  });
  const clean = rounds.filter((r) => !r.noisy);
  const headline = mean((clean.length ? clean : rounds).map((r) => r.value));
  return `${fixed(headline, 2)}${clean.length ? '' : '*'} (${rounds.map((r) => `${fixed(r.value, 2)}${r.noisy ? '*' : ''}`).join(' / ')})`;
}

export function httpLines(http: HttpResult, maxNoise: number): string[] {
  const rows: string[][] = [];
  for (const result of http.pairs) {
    for (const key of ['a', 'b'] as const) {
      const s = side(result[key], http.noisy);
      rows.push([
        result.pair[key].label,
        String(result.pair.connections),
        `${Math.round(s.rps)} (${s.perRun})`,
        fixed(s.p50),
        msText(s.p95),
        fixed(s.p99),
        msText((1000 * result.pair.connections) / s.rps),
        String(s.non2xx),
        String(s.errors),
        s.cpu,
        key === 'a' ? `${result.pair.name}: ${ratio(result, http.noisy)}` : '',
      ]);
    }
  }
  const dropped = [...http.discarded].map(([label, n]) => `${label}: ${n}`);
  return [
    table(['Scenario', 'conn.', 'req/s mean (per run)', 'p50 ms', 'p95 ms', 'p99 ms', 'ms per request (conn. ÷ req/s)', 'non-2xx', 'socket errors', 'CPU elsewhere (mean)', 'req/s ratio (per round)'], rows),
    '',
    `p50/p99 are autocannon's (whole milliseconds), p95 is computed from every response's latency; means over the measured runs. "ms per request" is connections ÷ req/s: at one connection the mean time of a request including the client's share, at more the server's time per request when saturated. Runs thrown away and repeated because other processes and steal took over ${maxNoise} % of the CPU: ${dropped.length ? dropped.join('; ') : 'none'}; a run marked * stayed above it in every try and is left out of means and ratio when a clean one exists.`,
  ];
}
