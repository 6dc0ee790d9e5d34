import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { cliSubject } from '../../audit/service.js';
import type { ConnectionReport, PreviewReport, SyncReport } from '../../customers/backends/ldap/operation-types.js';
import { PREVIEW_MAX } from '../../customers/backends/ldap/preview.js';
import { LoketError } from '../../errors.js';
import type { LoketInternals } from '../../loket.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { CliContext } from '../program.js';

/** Lines of each list the sync report prints; the rest is counted ("… and 12 more"). */
const LIST_LINES = 20;

/**
 * Directory data on a terminal: control characters (escape sequences could rewrite the screen or the
 * title) are shown as \uXXXX instead of being sent to it.
 */
// eslint-disable-next-line no-control-regex
const clean = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const value = (v: string | number | null): string => (v === null ? '—' : clean(String(v)));

function limitOf(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > PREVIEW_MAX) throw new InvalidArgumentError(`a whole number from 1 to ${PREVIEW_MAX}`);
  return n;
}

/** Why a backend's run failed, as the exit code scripts branch on. */
function exitCodeOf(err: LoketError): ExitCodeValue {
  if (err.code === 'sync_running') return ExitCode.conflict;
  if (err.status === 404) return ExitCode.notFound;
  if (err.code === 'service_unavailable' || err.code === 'directory_error') return ExitCode.config;
  if (err.status === 400) return ExitCode.usage;
  return ExitCode.failure;
}

export function formatConnection(key: string, report: ConnectionReport): string {
  const lines = [`${key}: ${report.ok ? 'ok' : 'FAILED'}`];
  for (const s of report.steps) lines.push(`  ${s.ok ? 'ok    ' : 'failed'}  ${s.step.padEnd(7)} ${String(s.ms).padStart(5)} ms  ${clean(s.detail)}`);
  if (report.counts) lines.push(`  users: ${report.counts.users}${report.counts.groups === null ? '' : `, groups: ${report.counts.groups}`}`);
  return lines.join('\n');
}

export function formatPreview(key: string, report: PreviewReport): string {
  const lines = [`${key}: ${report.rows.length} entries${report.truncated ? ' (more match)' : ''}`];
  const width = Math.max(5, ...report.rows.map((r) => (r.login ?? '—').length));
  for (const row of report.rows) {
    lines.push(`  ${row.action.padEnd(10)} ${value(row.login).padEnd(width)}  ${clean(row.dn)}${row.reason ? `  (${clean(row.reason)})` : ''}`);
    lines.push(`      ${row.cells.map((c) => `${c.key}=${value(c.value)}`).join('  ')}`);
    for (const c of row.cells) for (const w of c.warnings) lines.push(`      ! ${w.key}: ${w.kind}${w.detail ? ` (${clean(w.detail)})` : ''}`);
  }
  for (const w of report.warnings) lines.push(`  ! ${w.key}: ${w.kind}${w.detail ? ` (${clean(w.detail)})` : ''}`);
  for (const g of report.groups) {
    const found = g.found ? `${g.members} members, ${g.logins.length} users${g.logins.length ? `: ${g.logins.map(clean).join(', ')}` : ''}` : 'NOT FOUND';
    lines.push(`  group ${clean(g.ldapGroupDn)} → ${clean(g.group)} [${g.permissions.join(', ')}]: ${found}`);
  }
  return lines.join('\n');
}

export function formatSync(report: SyncReport): string {
  const c = report.counts;
  const lines = [
    `${report.backend}${report.dryRun ? ' (dry run, nothing written)' : ''}: ${c.entries} entries: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
      `${c.reactivated} reactivated, ${c.deactivated} deactivated, ${c.conflicts} conflicts, ${c.skipped} skipped; ` +
      `${c.managersLinked} manager links changed; group grants +${c.groupGrantsAdded} -${c.groupGrantsRemoved}`,
  ];
  if (report.refused) {
    const { wouldDeactivate, validUsers, maxShare } = report.refused;
    lines.push(`  refused: would deactivate ${wouldDeactivate} of ${validUsers} valid users (more than ${Math.round(maxShare * 100)}%, or the directory listed nobody); nothing was deactivated. Check the directory, then run with --force.`);
  }
  const section = (name: string, items: string[], more: number | undefined) => {
    for (const item of items.slice(0, LIST_LINES)) lines.push(`  ${name.padEnd(12)} ${item}`);
    const left = Math.max(0, items.length - LIST_LINES) + (more ?? 0);
    if (left) lines.push(`  ${name.padEnd(12)} … and ${left} more`);
  };
  const { lists, more } = report;
  section(report.refused ? 'would deact.' : 'deactivated', lists.deactivated.map(clean), more.deactivated);
  section('created', lists.created.map(clean), more.created);
  section('updated', lists.updated.map(clean), more.updated);
  section('reactivated', lists.reactivated.map(clean), more.reactivated);
  section('conflict', lists.conflicts.map((x) => `${value(x.login)}  ${clean(x.dn)}  (${clean(x.reason)})`), more.conflicts);
  section('skipped', lists.skipped.map((x) => `${clean(x.dn)}  (${clean(x.reason)})`), more.skipped);
  return lines.join('\n');
}

/**
 * Runs `work` for the named backend, or for every directory backend in order. A failing backend is
 * reported and the rest still run; the exit code is the first failure's.
 */
async function eachBackend(ctx: CliContext, loket: LoketInternals, backend: string | undefined, work: (key: string) => Promise<ExitCodeValue>): Promise<void> {
  const keys = backend !== undefined ? [backend] : (await loket.container.backendList.directories()).map((b) => b.key);
  if (!keys.length) ctx.err('loket: no directory backend is configured');
  for (const key of keys) {
    let code: ExitCodeValue;
    try {
      code = await work(key);
    } catch (err) {
      if (!(err instanceof LoketError)) throw err;
      ctx.err(`loket: ${key}: ${err.message}`);
      code = exitCodeOf(err);
    }
    if (code !== ExitCode.ok && ctx.exitCode === ExitCode.ok) ctx.exitCode = code;
  }
}

/** A progress line on a terminal only: in scripts and logs the report says everything. */
function progressLine(ctx: CliContext, key: string) {
  const stream = ctx.io.stderr as NodeJS.WriteStream;
  if (!stream.isTTY) return null;
  return new SingleBar({ format: `${key} {phase}: {value} entries`, stream, clearOnComplete: true, hideCursor: true });
}

/** `loket ldap test|preview|sync`: a directory backend's connection, its entries through the map, and the sync. */
export function registerLdapCommands(program: Command, ctx: CliContext): void {
  const ldap = program.command('ldap').description('test, preview and sync the LDAP directory backends (all of them in order, or --backend)');

  ldap
    .command('test')
    .description('connect, bind, read the base DN and count the users (and groups) of each directory backend')
    .option('--backend <key>', 'only this backend')
    .action(async (opts: { backend?: string }) => {
      await ctx.withLoket((loket) =>
        eachBackend(ctx, loket, opts.backend, async (key) => {
          const report = await loket.container.services.directoryOps.testFromOperator(key);
          ctx.out(formatConnection(key, report));
          return report.ok ? ExitCode.ok : ExitCode.config;
        }),
      );
    });

  ldap
    .command('preview')
    .description('the first entries of the directory through the field map, with warnings and what a sync would do')
    .option('--backend <key>', 'only this backend')
    .option('--filter <filter>', 'an extra LDAP filter, combined with the always-filter')
    .option('--limit <n>', `entries to show (1 to ${PREVIEW_MAX})`, limitOf, 20)
    .action(async (opts: { backend?: string; filter?: string; limit: number }) => {
      await ctx.withLoket((loket) =>
        eachBackend(ctx, loket, opts.backend, async (key) => {
          ctx.out(formatPreview(key, await loket.container.services.directoryOps.previewFromOperator(key, { filter: opts.filter, limit: opts.limit })));
          return ExitCode.ok;
        }),
      );
    });

  ldap
    .command('sync')
    .description('bring the customer users of each directory backend up to date (paged; one run at a time per backend)')
    .option('--backend <key>', 'only this backend')
    .option('--dry-run', 'count and list what would change; write nothing')
    .option('--force', 'deactivate even more than the allowed share of users')
    .action(async (opts: { backend?: string; dryRun?: boolean; force?: boolean }) => {
      await ctx.withLoket((loket) =>
        eachBackend(ctx, loket, opts.backend, async (key) => {
          const bar = progressLine(ctx, key);
          bar?.start(0, 0, { phase: 'users' });
          let report: SyncReport;
          try {
            report = await loket.container.services.directoryOps.syncFromOperator(key, { dryRun: opts.dryRun === true, force: opts.force === true }, cliSubject(), (p) => bar?.update(p.entries, { phase: p.phase }));
          } finally {
            bar?.stop();
          }
          ctx.out(formatSync(report));
          return report.refused ? ExitCode.refused : ExitCode.ok;
        }),
      );
    });
}
