/**
 * The plans both databases choose for the statements Loket actually sent in process (captured from
 * knex): a search's page query and its count, and a suggestion, for the first rare word; then the
 * scan's statement for the same word.
 */
import type { LoketInternals } from '../../plugin/loket.js';
import { explain, inline, type ShownPlan } from '../lib/explain.js';
import { isFullText, type Side, type TimedCall, type TimedStatement } from './in-process.js';

export async function shownPlans(loket: LoketInternals, calls: Record<Side, TimedCall[]>): Promise<ShownPlan[]> {
  const { knex, tables, dialect } = loket.container;
  const first = (side: Side) => calls[side].find((c) => c.query.kind === 'rare word');
  const search = first('search');
  const picks: { title: string; statement: TimedStatement }[] = [];
  // The statements that join the engine's candidates to the articles (not the candidates' own count,
  // which on MariaDB names the articles table too); MariaDB runs them in parallel, so their order varies.
  const joined = (call: TimedCall | undefined) => (call?.statements ?? []).filter((s) => isFullText(s.sql) && s.sql.includes(`join \`${tables.faq_articles}\` as \`a\``));
  const page = joined(search).find((s) => s.sql.includes(' order by '));
  const count = joined(search).find((s) => s.sql.startsWith('select count('));
  const word = search ? `\`${search.query.q}\`` : '';
  if (page) picks.push({ title: `Search for ${word}, page query (${page.ms.toFixed(1)} ms in process)`, statement: page });
  if (count) picks.push({ title: `Search for ${word}, count (${count.ms.toFixed(1)} ms)`, statement: count });
  const [suggestion] = joined(first('suggest'));
  if (suggestion) picks.push({ title: `Suggestions for ${word} (${suggestion.ms.toFixed(1)} ms)`, statement: suggestion });
  const scan = first('scan')?.statements[0];
  if (scan) picks.push({ title: `The scan for ${word} (${scan.ms.toFixed(1)} ms)`, statement: scan });
  return Promise.all(picks.map(async (p) => ({ title: p.title, sql: inline(p.statement), plan: await explain(knex, dialect, p.statement) })));
}
