import { Option, type Command } from 'commander';
import { AGENT_ROLES, type AgentRole } from '../../agents/schema.js';
import { cliSubject } from '../../audit/service.js';
import type { CliContext } from '../program.js';

interface CreateOptions {
  role: AgentRole;
  login: string;
  email: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  language?: 'en' | 'nl' | 'nb';
  json?: boolean;
}

/** `loket user create`: agent and admin accounts, from the operator at the shell. */
export function registerUserCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('manage agent and admin accounts');
  user
    .command('create')
    .description('create an agent or admin account; without --password a strong one is generated and printed once')
    .addOption(new Option('--role <role>', 'account role').choices(AGENT_ROLES).makeOptionMandatory())
    .requiredOption('--login <login>', 'login name (letters, digits and . _ @ + -)')
    .requiredOption('--email <email>', 'e-mail address')
    .option('--password <password>', 'initial password (at least 12 characters; visible in the process list, prefer the generated one)')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .addOption(new Option('--language <language>', 'preferred language').choices(['en', 'nl', 'nb']))
    .option('--json', 'print one JSON object on stdout instead of text')
    .action(async (opts: CreateOptions) => {
      const created = await ctx.withLoket((loket) =>
        loket.container.services.agents.createFromOperator(
          {
            login: opts.login,
            email: opts.email,
            role: opts.role,
            ...(opts.password !== undefined && { password: opts.password }),
            ...(opts.firstName !== undefined && { firstName: opts.firstName }),
            ...(opts.lastName !== undefined && { lastName: opts.lastName }),
            ...(opts.language !== undefined && { language: opts.language }),
          },
          cliSubject(),
        ),
      );
      const { agent, generatedPassword } = created;
      if (opts.json) {
        ctx.out(
          JSON.stringify({
            login: agent.login,
            role: agent.role,
            email: agent.email,
            ...(generatedPassword !== undefined && { generatedPassword }),
          }),
        );
        return;
      }
      ctx.out(`Created ${agent.role} ${agent.login} <${agent.email ?? ''}>`);
      if (generatedPassword !== undefined) {
        ctx.out(`Generated password (shown only now): ${generatedPassword}`);
      }
    });
}
