import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { hostSettingsFromEnv, type HostSettings } from '../config/env.js';
import { loketOptionsSchema } from '../config/schema.js';
import { DatabaseUnreachableError } from '../db/health.js';
import { ConfigError, LoketError } from '../errors.js';
import { REDACT_PATHS } from '../log.js';
import { buildLoket, type LoketInternals } from '../loket.js';
import { packageRoot } from '../paths.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerKbCommands } from './commands/kb.js';
import { registerLdapCommands } from './commands/ldap.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTokenCommands } from './commands/token.js';
import { registerUserCommands } from './commands/user.js';
import { CliError, ExitCode } from './exit-codes.js';

/** Where the command writes and what it reads: the real process streams and env, or captured ones in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

/** What every command receives from the program. */
export interface CliContext {
  io: CliIo;
  /** One line (or block) on stdout; a newline is added. */
  out(text: string): void;
  /** One line (or block) on stderr; a newline is added. */
  err(text: string): void;
  /** The exit code the command chose; the program returns it. */
  exitCode: number;
  /** The host's settings (LOKET_CONFIG, DATABASE_URL, …) from io.env, unchanged. */
  hostSettings(): HostSettings;
  /**
   * Builds Loket from the host's settings with CLI defaults (log level warn, logs on stderr), applies
   * pending migrations unless told not to, runs `fn`, and always closes the database again.
   */
  withLoket<T>(fn: (loket: LoketInternals, settings: HostSettings) => Promise<T>, opts?: { migrate?: boolean }): Promise<T>;
}

/** Validation fields as the operator typed them, so an error names the option to fix. */
const OPTION_OF_FIELD: Record<string, string> = {
  login: '--login',
  email: '--email',
  role: '--role',
  password: '--password',
  firstName: '--first-name',
  lastName: '--last-name',
  language: '--language',
  name: '--name',
  expiresInDays: '--expires-days',
};

function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ConfigError || err instanceof DatabaseUnreachableError) return ExitCode.config;
  if (err instanceof LoketError) {
    switch (err.status) {
      case 400:
        return ExitCode.usage;
      case 404:
        return ExitCode.notFound;
      case 409:
        return ExitCode.conflict;
      case 422:
        return ExitCode.refused;
      case 503:
        return ExitCode.config;
      default:
        return ExitCode.failure;
    }
  }
  return ExitCode.failure;
}

function messageOf(err: unknown): string {
  if (err instanceof LoketError && err.status === 400 && err.field) {
    return `invalid ${OPTION_OF_FIELD[err.field] ?? err.field}: ${err.message}`;
  }
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

const debugging = (env: CliIo['env']): boolean => env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/** A pino JSON line as one short line for people at a terminal (first line of the message only). */
function humanLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    const level = typeof entry.level === 'number' ? (LEVEL_NAMES[entry.level] ?? 'log') : 'log';
    const msg = typeof entry.msg === 'string' ? (entry.msg.split('\n')[0] ?? '') : '';
    return `loket: ${level}: ${msg}\n`;
  } catch {
    return line;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function createContext(io: CliIo): CliContext {
  const ctx: CliContext = {
    io,
    out: (text) => void io.stdout.write(`${text}\n`),
    err: (text) => void io.stderr.write(`${text}\n`),
    exitCode: ExitCode.ok,
    hostSettings: () => hostSettingsFromEnv(io.env),

    async withLoket(fn, opts = {}) {
      const settings = hostSettingsFromEnv(io.env);
      const { options } = settings;
      // Logs never go to stdout, which stays clean for scripts. Unless LOG_LEVEL asks for more, only
      // warnings and errors are logged, as short lines; with LOG_LEVEL set they stay pino's JSON.
      const explicitLevel = Boolean(io.env.LOG_LEVEL);
      if (!explicitLevel) options.logLevel = 'warn';
      const level = loketOptionsSchema.shape.logLevel.safeParse(options.logLevel);
      if (!level.success) throw new ConfigError('logLevel (LOG_LEVEL)', level.error.issues[0]?.message ?? 'invalid');
      options.logger ??= pino(
        { level: level.data, name: 'loket', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
        { write: (line: string) => void io.stderr.write(explicitLevel ? line : humanLogLine(line)) },
      );
      // Commands never serve HTTP, so nothing is signed with the session secret: a throwaway one lets
      // operators run them in production without SESSION_SECRET in their shell.
      if (!options.session?.secret) options.session = { ...options.session, secret: randomBytes(32).toString('hex') };
      const loket = buildLoket(options);
      try {
        if (opts.migrate !== false) await loket.migrate();
        return await fn(loket, settings);
      } finally {
        await loket.close();
      }
    },
  };
  return ctx;
}

/** The `loket` program. Commander's own exits and output go through `io`; nothing here calls process.exit. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('loket');
  program
    .description('Loket helpdesk: run the server and manage its database from the shell.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.io.stdout.write(text),
      writeErr: (text) => void ctx.io.stderr.write(text),
      outputError: (text, write) => write(`loket: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run loket --help for usage)')
    .addHelpText(
      'after',
      `
Configuration comes from the environment, as for the server: DATABASE_URL, LOKET_CONFIG (JSON file),
LOKET_DATA_DIR, NODE_ENV, LOG_LEVEL (default warn for commands other than serve).

Exit codes: 0 ok, 1 unexpected failure, 2 usage or invalid input, 3 already exists, 4 not found,
5 configuration or database unreachable, 6 refused, 7 audit chain broken.`,
    );
  // Subcommands copy the settings above when they are created, so register them afterwards.
  registerServeCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerSeedCommand(program, ctx);
  registerUserCommands(program, ctx);
  registerTokenCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerKbCommands(program, ctx);
  registerLdapCommands(program, ctx);
  return program;
}

/**
 * Runs the command line `argv` (the arguments only, as in `process.argv.slice(2)`) and resolves to the
 * exit code. Errors become one line on stderr, "loket: <message>"; the stack only with LOG_LEVEL=debug.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx = createContext(io);
  try {
    const program = buildProgram(ctx);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    // Commander has already printed its own message (usage errors) or the help text.
    if (!(err instanceof CommanderError)) {
      ctx.err(`loket: ${messageOf(err)}`);
      if (debugging(io.env) && err instanceof Error && err.stack) ctx.err(err.stack);
    }
    return exitCodeOf(err);
  }
}
