import type { Command } from 'commander';
import { formatCredentials, saveCredentials, seedDemo } from '../../demo/seed.js';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliContext } from '../program.js';

/** `loket seed --demo`: demo accounts with generated passwords, into an empty database only. */
export function registerSeedCommand(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description('seed an empty database (refused with NODE_ENV=production)')
    .option('--demo', 'create the demo accounts (admin, agent, agent2) with generated passwords')
    .action(async (opts: { demo?: boolean }) => {
      if (!opts.demo) throw new CliError(ExitCode.usage, 'nothing to seed: pass --demo');
      const settings = ctx.hostSettings();
      if (settings.options.env === 'production') {
        throw new CliError(ExitCode.refused, 'refusing to seed demo accounts with NODE_ENV=production');
      }
      await ctx.withLoket(async (loket) => {
        const credentials = await seedDemo(loket.container);
        if (!credentials) {
          ctx.out('The database already has accounts; nothing seeded.');
          return;
        }
        const url = settings.options.baseUrl?.replace(/\/$/, '') ?? `http://localhost:${settings.port}`;
        const text = formatCredentials(credentials, url);
        const path = saveCredentials(settings.dataDir, text);
        ctx.io.stdout.write(text);
        ctx.out(`(saved to ${path})`);
      });
    });
}
