/**
 * Where one call's SQL time goes: the call runs once unmeasured, then once with its statements recorded,
 * and the slowest statement is shown with the plan the database picks for it (../lib/explain.ts).
 */
import { recordStatements } from '../effective-permissions/timing.js';
import { explain, inline, type ShownPlan } from '../lib/explain.js';
import type { LoketInternals } from '../../plugin/loket.js';

/** Long IN lists say nothing more after the first few hundred characters. */
const shortened = (sql: string): string => (sql.length > 1500 ? `${sql.slice(0, 1500)} …` : sql);

export async function slowestStatement(loket: LoketInternals, title: string, call: () => Promise<unknown>): Promise<ShownPlan> {
  const { knex, dialect } = loket.container;
  await call();
  const { statements } = await recordStatements(knex, call);
  const slowest = statements.filter((s) => /^\s*select/i.test(s.sql)).reduce<(typeof statements)[number] | null>((worst, s) => (worst && worst.ms >= s.ms ? worst : s), null);
  if (!slowest) return { title: `${title}: no select statement`, sql: '', plan: [] };
  const total = statements.reduce((n, s) => n + (Number.isFinite(s.ms) ? s.ms : 0), 0);
  return {
    title: `${title}: its slowest statement, ${slowest.ms.toFixed(1)} ms of the ${statements.length} statements' ${total.toFixed(1)} ms`,
    sql: shortened(inline(slowest)),
    plan: await explain(knex, dialect, slowest),
  };
}
