import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../program.js';

/** `loket audit verify`: recomputes the audit log's hash chain from the first entry. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('inspect the audit log');
  audit
    .command('verify')
    .description('check that the audit hash chain is intact (exit code 7 when it is broken)')
    .action(async () => {
      const result = await ctx.withLoket((loket) => loket.container.services.audit.verify());
      if (result.ok) {
        ctx.out(`audit chain intact (${result.checked} ${result.checked === 1 ? 'entry' : 'entries'})`);
        return;
      }
      ctx.err(`loket: audit chain broken at entry ${result.brokenAt ?? '?'} (${result.checked} entries before it are intact)`);
      ctx.exitCode = ExitCode.integrity;
    });
}
