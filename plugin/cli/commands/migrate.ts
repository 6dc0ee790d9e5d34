import type { Command } from 'commander';
import type { CliContext } from '../program.js';

/** `loket migrate`: waits for the database, applies pending migrations and names each one. */
export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const applied = await ctx.withLoket((loket) => loket.migrate(), { migrate: false });
      if (applied.length === 0) {
        ctx.out('Database schema is up to date');
        return;
      }
      for (const name of applied) ctx.out(`Applied ${name}`);
      ctx.out(`${applied.length} migration${applied.length === 1 ? '' : 's'} applied`);
    });
}
