/** Markdown for the LDAP bench: the directory, the sync runs, where their time goes, logins, searches. */
import { cpuText, mib, ms, table } from '../lib/report.js';
import type { GeneratedDirectory } from './directory.js';
import type { PagedSearchRun } from './floor.js';
import type { LoginRun } from './logins.js';
import { percentiles } from './pool.js';
import { QUERY_KINDS, summary, type SearchRun } from './searches.js';
import type { SyncRun } from './sync-runs.js';

/** The roadmap's targets (issue 7). */
export const TARGETS = { syncSeconds: 60, syncEntries: 100_000, loginP95Ms: 30 };

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const sec = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : 'n/a');

export function directoryLines(dir: GeneratedDirectory, seconds: { generate: number; slapadd: number }): string[] {
  const sizes = new Map<string, number>();
  for (const p of dir.people) sizes.set(p.customerId, (sizes.get(p.customerId) ?? 0) + 1);
  const bySize = [...sizes.values()].sort((a, b) => b - a);
  return [
    `${int(dir.people.length)} people (inetOrgPerson) in ${sizes.size} OUs below \`${dir.peopleDn}\`, one OU per customer (${bySize.slice(0, 3).map(int).join(', ')} people in the three largest, ${int(bySize[bySize.length - 1] ?? 0)} in the smallest), mapped to customers by DN-suffix rules; ${int(dir.counts.secondMail)} with a second mail value, ${int(dir.counts.manager)} with a manager (their OU's first person), ${int(dir.counts.phone)} with a phone, ${int(dir.counts.address)} with a postal address; every one with an SSHA password. Groups (groupOfNames below \`${dir.groupsDn}\`, each mapped to a Loket group with \`ro\`): ${dir.groups.map((g) => `${g.cn} (${int(g.members)})`).join(', ')}.`,
    `Generated in ${sec(seconds.generate)} s; loaded with \`slapadd -q\` and slapd started in ${sec(seconds.slapadd)} s (slapd's mdb backend, indexes on uid, mail, cn, sn, givenName eq+sub, entryUUID, member).`,
  ];
}

export function syncLines(runs: SyncRun[], floor: PagedSearchRun[], modify: { count: number; seconds: number }): string[] {
  const count = (r: SyncRun, key: string) => int(r.result.counts[key] ?? NaN);
  const rows = runs.map((r) => {
    const entries = r.result.counts.entries ?? NaN;
    const seconds = r.result.wallMs / 1000;
    const statements = r.result.statements.reduce((n, k) => n + k.count, 0);
    const sqlSeconds = r.result.statements.reduce((n, k) => n + k.ms, 0) / 1000;
    return [
      r.label,
      int(entries),
      `${count(r, 'created')} / ${count(r, 'updated')} / ${count(r, 'unchanged')} / ${count(r, 'conflicts')} / ${count(r, 'skipped')}`,
      `${count(r, 'managersLinked')} / ${count(r, 'groupGrantsAdded')}`,
      sec(seconds),
      int(entries / seconds),
      sec(r.result.cpuMs / 1000),
      sec(r.slapdCpuSeconds),
      r.dbCpuSeconds === null ? 'n/a' : sec(r.dbCpuSeconds),
      `${int(statements)} (${sec(sqlSeconds)} s)`,
      `${mib(r.result.rssAtStart)} → ${mib(r.result.maxRss)}`,
      cpuText(r.cpu),
    ];
  });
  for (const [i, f] of floor.entries()) {
    rows.push([`floor: bare ldapts paged search of every entry (${i === 0 ? 'first' : 'again'})`, int(f.entries), '', '', sec(f.seconds), int(f.entries / f.seconds), '', '', '', '', '', '']);
  }
  return [
    table(
      ['Run', 'entries', 'created / updated / unchanged / conflicts / skipped', 'managers linked / group grants added', 'wall s', 'entries/s', 'Loket CPU s', 'slapd CPU s', 'DB server CPU s', 'SQL statements (their time)', 'RSS at start → peak', 'CPU elsewhere'],
      rows,
    ),
    '',
    `Each sync ran in a child process of its own (\`node --import tsx bench/ldap/sync-child.ts\`, as \`loket ldap sync\` would): the peak is getrusage's maxRSS of that process. Between the second and the third sync, \`ldapmodify\` gave ${int(modify.count)} entries a new phone number (${sec(modify.seconds)} s, not counted). "SQL time" adds up each statement from sending to its answer. The floor is one ldapts client reading every entry with the attributes Loket asks for, in pages of the backend's page size, and dropping them.`,
  ];
}

/**
 * The sync reports 'users' after every page, then 'groups' once (group members, managers, grants), then
 * 'deactivations' once, then 'done': each phase lasts from its first report to the next phase's.
 */
function phaseText(r: SyncRun): string {
  const at = new Map(r.result.phases.map((p) => [p.phase, p.atMs / 1000]));
  const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? 'n/a' : `${sec(to - from)} s`);
  return `users (paged search, map, plan, write per page) ${span(0, at.get('groups'))}, group members + managers + grants ${span(at.get('groups'), at.get('deactivations'))}, deactivations ${span(at.get('deactivations'), at.get('done'))}`;
}

/** The statement kinds that took the most time in each run. */
export function syncStatementLines(runs: SyncRun[], top = 8): string[] {
  const lines: string[] = [];
  for (const r of runs) {
    lines.push(`${r.label}: ${phaseText(r)}; ${r.result.refused ? '**refused** (too many deactivations)' : 'not refused'}.`, '');
    lines.push(
      table(
        ['statement', 'count', 'time s', 'ms each'],
        r.result.statements.slice(0, top).map((k) => [k.name, int(k.count), sec(k.ms / 1000), (k.ms / Math.max(1, k.count)).toFixed(2)]),
      ),
      '',
    );
  }
  return lines;
}

export function loginLines(runs: LoginRun[], argon2Ms: number): string[] {
  const rows = runs.map((l) => {
    const times = l.postMs ?? l.run.ms;
    const p = percentiles(times);
    const sql = l.statements ? l.statements.reduce((n, k) => n + k.count, 0) / Math.max(1, l.run.ms.length) : null;
    return [
      l.label,
      String(l.concurrency),
      int(l.run.ms.length),
      sql === null ? '' : sql.toFixed(1),
      l.run.failed ? `${int(l.run.failed)} (${l.run.firstError ?? ''})` : '0',
      ms(p.p50),
      ms(p.p95),
      ms(p.p99),
      ms(p.max),
      int(l.run.ms.length / l.run.seconds),
      cpuText(l.run.cpu),
    ];
  });
  return [
    table(['Login', 'concurrency', 'logins', 'SQL statements per login', 'failed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'logins/s', 'CPU elsewhere'], rows),
    '',
    ...statementsOfLogin(runs),
    `Every login is a random directory user with the right password (the same users in every row; the database-user rows draw from the bulk-inserted users). The HTTP rows time the POST alone; each one first fetched GET /login for a fresh session and its CSRF token (not timed). One argon2id verification with Loket's parameters (what a login of somebody without a local password burns to answer as slowly as a wrong password) took ${ms(argon2Ms)} ms (median) in this process.`,
  ];
}

/** "select customer_users ×4.0, …" per login of the in-process run at concurrency 1. */
function statementsOfLogin(runs: LoginRun[]): string[] {
  const run = runs.find((l) => l.statements && l.concurrency === 1);
  if (!run?.statements) return [];
  const n = Math.max(1, run.run.ms.length);
  const kinds = run.statements.map((k) => `${k.name} ×${(k.count / n).toFixed(1)} (${(k.ms / n).toFixed(2)} ms)`).join(', ');
  return [`The SQL of one in-process login (concurrency 1, per login, with its time): ${kinds}.`, ''];
}

export function searchLines(runs: SearchRun[], limit: number): string[] {
  const overall = runs.map((r) => {
    const s = summary(r.results);
    return [r.label, int(s.n), ms(s.p50), ms(s.p95), ms(s.p99), r.statements.perSearch.toFixed(1), ms(r.statements.msPerSearch), r.statements.top];
  });
  const perKind = QUERY_KINDS.map((kind) => [
    kind,
    ...runs.map((r) => {
      const s = summary(r.results, kind);
      return s.n ? `${ms(s.p50)} / ${ms(s.p95)} (${int(s.meanMatches)})` : 'n/a';
    }),
  ]);
  return [
    table(['Search (one at a time)', 'searches', 'p50 ms', 'p95 ms', 'p99 ms', 'SQL statements per search', 'their ms per search', 'most time (per search)'], overall),
    '',
    `Per kind of query, p50 / p95 ms and (in brackets) the mean number of matches, counted up to the list limit of ${int(limit)}:`,
    '',
    table(['Query kind', ...runs.map((r) => r.label)], perKind),
  ];
}

export function targetLines(name: string, firstSync: SyncRun | undefined, logins: LoginRun[]): string[] {
  const out: string[] = [];
  if (firstSync) {
    const entries = firstSync.result.counts.entries ?? 0;
    const seconds = firstSync.result.wallMs / 1000;
    const scaled = (seconds * TARGETS.syncEntries) / Math.max(1, entries);
    const verdict = scaled < TARGETS.syncSeconds ? 'met' : '**missed**';
    out.push(`Target on ${name}, first sync of ${int(TARGETS.syncEntries)} entries in < ${TARGETS.syncSeconds} s: ${verdict} (${sec(seconds)} s for ${int(entries)} entries${entries === TARGETS.syncEntries ? '' : `, ${sec(scaled)} s scaled to ${int(TARGETS.syncEntries)}`}).`);
  }
  for (const l of logins.filter((x) => x.concurrency > 1 && x.label.startsWith('Loket'))) {
    const p95 = percentiles(l.postMs ?? l.run.ms).p95;
    out.push(`Target on ${name}, login p95 < ${TARGETS.loginP95Ms} ms, ${l.label} at concurrency ${l.concurrency}: ${p95 < TARGETS.loginP95Ms ? 'met' : '**missed**'} (${ms(p95)} ms).`);
  }
  return out;
}
