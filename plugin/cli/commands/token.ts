import { InvalidArgumentError, type Command } from 'commander';
import { cliSubject } from '../../audit/service.js';
import { notFound } from '../../errors.js';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliContext } from '../program.js';

interface CreateOptions {
  login: string;
  name: string;
  expiresDays?: number;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number of days.');
  return Number(value);
}

/**
 * `loket token create`: an API token for an agent. Only the token goes to stdout, so
 * `TOKEN=$(loket token create --login admin)` works; the details go to stderr.
 */
export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('issue an API token for an agent and print it (once) on stdout')
    .requiredOption('--login <login>', 'the agent the token acts as')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--expires-days <days>', 'expire after this many days (default: never)', wholeNumber)
    .action(async (opts: CreateOptions) => {
      const issued = await ctx.withLoket(async (loket) => {
        const { agents, apiTokens } = loket.container.services;
        const agent = await agents.findByLogin(opts.login);
        if (!agent) throw notFound(`No agent with login ${opts.login}.`);
        if (agent.validity !== 'valid') {
          throw new CliError(ExitCode.refused, `agent ${agent.login} is ${agent.validity}; a token for it would not be accepted`);
        }
        const input = opts.expiresDays === undefined ? { name: opts.name } : { name: opts.name, expiresInDays: opts.expiresDays };
        const result = await apiTokens.issueFromOperator({ type: 'agent', id: agent.id }, agent.login, input, cliSubject());
        return { ...result, login: agent.login };
      });
      ctx.out(issued.plain);
      const expiry = issued.token.expiresAt ? `expires ${issued.token.expiresAt}` : 'does not expire';
      ctx.err(`Token "${issued.token.name}" (id ${issued.token.id}) for ${issued.login}, ${expiry}. It is shown only now.`);
    });
}
