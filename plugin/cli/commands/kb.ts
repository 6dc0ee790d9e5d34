import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { cliSubject } from '../../audit/service.js';
import { readKbDirectory, writeKbDirectory } from '../../faq/kb/files.js';
import type { KbReport } from '../../faq/kb/service.js';
import { packageRoot } from '../../paths.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../program.js';

/** A bar on a terminal only: in scripts and logs the report says everything. */
function progressBar(ctx: CliContext, label: string) {
  const stream = ctx.io.stderr as NodeJS.WriteStream;
  if (!stream.isTTY) return null;
  return new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
}

export function formatKbReport(report: KbReport): string {
  const { categories: c, articles: a } = report;
  const lines = [
    `categories: ${c.created.length} created, ${c.updated.length} updated, ${c.unchanged.length} unchanged, ${c.invalid.length} invalid`,
    `articles:   ${a.created.length} created, ${a.updated.length} updated, ${a.unchanged.length} unchanged, ${a.invalid.length} invalid`,
  ];
  for (const file of a.created) lines.push(`  created   ${file}`);
  for (const file of a.updated) lines.push(`  updated   ${file}`);
  for (const bad of c.invalid) lines.push(`  invalid   category ${bad.slug}: ${bad.reason}`);
  for (const bad of a.invalid) lines.push(`  invalid   ${bad.file}: ${bad.reason}`);
  return lines.join('\n');
}

/** `loket kb import [dir]` and `loket kb export [dir]`: the FAQ as markdown files with front matter. */
export function registerKbCommands(program: Command, ctx: CliContext): void {
  const kb = program.command('kb').description('import or export FAQ articles as markdown files (kb/ format)');
  kb.command('import')
    .description('create or update FAQ categories and articles from a kb/ directory (by slug + language; running it again changes nothing)')
    .argument('[dir]', 'directory with categories.yaml and <category>/<slug>.<language>.md files', resolve(packageRoot, 'kb'))
    .action(async (dir: string) => {
      const input = await readKbDirectory(resolve(dir));
      const report = await ctx.withLoket(async (loket) => {
        const bar = progressBar(ctx, 'importing');
        bar?.start(input.articles.length, 0);
        try {
          return await loket.container.services.kb.importFromOperator(input, cliSubject(), (done) => bar?.update(done));
        } finally {
          bar?.stop();
        }
      });
      ctx.out(formatKbReport(report));
      if (report.articles.invalid.length || report.categories.invalid.length) ctx.exitCode = ExitCode.partial;
    });
  kb.command('export')
    .description('write the published FAQ articles and the category tree as a kb/ directory')
    .argument('[dir]', 'directory to write (created if missing; existing files with the same names are overwritten)', 'kb-export')
    .action(async (dir: string) => {
      const target = resolve(dir);
      const count = await ctx.withLoket(async (loket) => {
        const { categories, articles } = await loket.container.services.kb.exportAll();
        const bar = progressBar(ctx, 'writing');
        bar?.start(articles.length, 0);
        let written = 0;
        await writeKbDirectory(target, categories, articles, () => bar?.update(++written));
        bar?.stop();
        return { categories: categories.length, articles: articles.length };
      });
      ctx.out(`exported ${count.articles} articles and ${count.categories} categories to ${target}`);
    });
}
