import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentActor } from '../../plugin/auth/actors.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { ExitCode } from '../../plugin/cli/exit-codes.js';
import { runCli } from '../../plugin/cli/program.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { packageRoot } from '../../plugin/paths.js';
import { unique } from '../helpers/app.js';
import { freshDatabase, rememberPrefix, tempDir } from '../helpers/db.js';

type Env = Record<string, string>;

interface CliTarget {
  env: Env;
  databaseUrl: string;
  tablePrefix: string;
  dataDir: string;
}

/** A fresh database for the CLI, configured as an operator would: env plus a LOKET_CONFIG file for the prefix. */
function cliTarget(extra: Env = {}): CliTarget {
  const db = freshDatabase();
  rememberPrefix(db.tablePrefix);
  const dir = tempDir('loket-cli-');
  const config = join(dir, 'loket.config.json');
  writeFileSync(config, JSON.stringify({ tablePrefix: db.tablePrefix, database: { connectRetries: 0 } }));
  const dataDir = join(dir, 'data');
  return {
    env: { DATABASE_URL: db.databaseUrl, LOKET_CONFIG: config, LOKET_DATA_DIR: dataDir, NODE_ENV: 'test', ...extra },
    databaseUrl: db.databaseUrl,
    tablePrefix: db.tablePrefix,
    dataDir,
  };
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** In-process run with captured output. */
async function cli(argv: string[], env: Env): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

/** The real `loket` binary in a child process. */
function spawnCli(argv: string[], env: Env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot, 'bin', 'loket.mjs'), ...argv], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A Loket of our own on the CLI's database, to check what the commands did. */
async function withLoket<T>(target: CliTarget, fn: (loket: LoketInternals) => Promise<T>): Promise<T> {
  const loket = buildLoket({
    env: 'test',
    logLevel: 'silent',
    databaseUrl: target.databaseUrl,
    tablePrefix: target.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
  });
  try {
    await loket.migrate();
    return await fn(loket);
  } finally {
    await loket.close();
  }
}

const TOKEN = /^lkt_[A-Za-z0-9_-]{43}$/;

describe('loket CLI', () => {
  describe('user create', () => {
    it('creates an account with a generated password, printed once, that signs in', async () => {
      const target = cliTarget();
      const login = unique('op');
      const res = await cli(['user', 'create', '--role', 'admin', '--login', login, '--email', `${login}@example.test`, '--first-name', 'Olga', '--language', 'nl'], target.env);
      expect(res.code, res.stderr).to.equal(ExitCode.ok);
      expect(res.stderr).to.equal('');
      const match = /password \(shown only now\): (\S+)/.exec(res.stdout);
      expect(match, res.stdout).to.not.equal(null);
      const password = match![1]!;
      expect(res.stdout.split(password)).to.have.length(2);
      await withLoket(target, async (loket) => {
        const agent = await loket.container.services.agents.verifyCredentials(login, password);
        expect(agent).to.include({ login, role: 'admin', firstName: 'Olga', language: 'nl' });
        expect(await loket.container.services.agents.verifyCredentials(login, `${password}x`)).to.equal(null);
      });
    });

    it('prints one JSON object with --json and uses a given password', async () => {
      const target = cliTarget();
      const login = unique('Json');
      const res = await cli(['user', 'create', '--role', 'agent', '--login', login, '--email', `${login}@Example.test`, '--json'], target.env);
      expect(res.code, res.stderr).to.equal(ExitCode.ok);
      const body = JSON.parse(res.stdout) as Record<string, unknown>;
      expect(body).to.have.all.keys('login', 'role', 'email', 'generatedPassword');
      expect(body).to.include({ login: login.toLowerCase(), role: 'agent', email: `${login}@example.test`.toLowerCase() });

      const other = unique('given');
      const given = await cli(['user', 'create', '--role', 'agent', '--login', other, '--email', `${other}@example.test`, '--password', 'a long enough secret', '--json'], target.env);
      expect(given.code, given.stderr).to.equal(ExitCode.ok);
      expect(JSON.parse(given.stdout)).to.deep.equal({ login: other, role: 'agent', email: `${other}@example.test` });
      await withLoket(target, async (loket) => {
        expect(await loket.container.services.agents.verifyCredentials(other, 'a long enough secret')).to.not.equal(null);
      });
    });

    it('exits 3 for a login that exists', async () => {
      const target = cliTarget();
      const login = unique('dup');
      const args = ['user', 'create', '--role', 'agent', '--login', login];
      expect((await cli([...args, '--email', `${login}@example.test`], target.env)).code).to.equal(ExitCode.ok);
      const again = await cli([...args, '--email', `${login}-2@example.test`], target.env);
      expect(again.code).to.equal(ExitCode.conflict);
      expect(again.stdout).to.equal('');
      expect(again.stderr).to.match(/^loket: .*already in use/);
      expect(again.stderr.trim().split('\n')).to.have.length(1);
    });

    it('exits 2 naming the option for a bad role, e-mail, login or password, or a missing option', async () => {
      const target = cliTarget();
      const cases: [string[], string][] = [
        [['--role', 'king', '--login', 'x1', '--email', 'x1@example.test'], '--role'],
        [['--role', 'agent', '--login', 'x2', '--email', 'not-an-address'], '--email'],
        [['--role', 'agent', '--login', 'bad login!', '--email', 'x3@example.test'], '--login'],
        [['--role', 'agent', '--login', 'x4', '--email', 'x4@example.test', '--password', 'short'], '--password'],
        [['--role', 'agent', '--login', 'x5', '--email', 'x5@example.test', '--language', 'de'], '--language'],
        [['--role', 'agent', '--email', 'x6@example.test'], '--login'],
        [['--login', 'x7', '--email', 'x7@example.test'], '--role'],
      ];
      for (const [args, option] of cases) {
        const res = await cli(['user', 'create', ...args], target.env);
        expect(res.code, args.join(' ')).to.equal(ExitCode.usage);
        expect(res.stderr, args.join(' ')).to.match(/^loket: /).and.contain(option);
        expect(res.stdout).to.equal('');
      }
      await withLoket(target, async (loket) => expect(await loket.container.services.agents.count()).to.equal(0));
    });

    it('exits 2 for unknown commands and options, and 0 for --help', async () => {
      const env = cliTarget().env;
      expect((await cli(['frobnicate'], env)).code).to.equal(ExitCode.usage);
      expect((await cli(['user', 'create', '--colour', 'red'], env)).code).to.equal(ExitCode.usage);
      expect((await cli(['user'], env)).code).to.equal(ExitCode.usage);
      const help = await cli(['user', 'create', '--help'], env);
      expect(help.code).to.equal(ExitCode.ok);
      expect(help.stdout).to.contain('--role');
    });
  });

  describe('token create', () => {
    it('prints only the token, which authenticates as the agent; details go to stderr', async () => {
      const target = cliTarget();
      const login = unique('tok');
      expect((await cli(['user', 'create', '--role', 'agent', '--login', login, '--email', `${login}@example.test`], target.env)).code).to.equal(0);
      const res = await cli(['token', 'create', '--login', login, '--name', 'deploy bot', '--expires-days', '7'], target.env);
      expect(res.code, res.stderr).to.equal(ExitCode.ok);
      const token = res.stdout.trim();
      expect(res.stdout).to.equal(`${token}\n`);
      expect(token).to.match(TOKEN);
      expect(res.stderr).to.contain('deploy bot').and.contain(login).and.not.contain(token);
      await withLoket(target, async (loket) => {
        const { agents, apiTokens } = loket.container.services;
        const agent = await agents.findByLogin(login);
        expect(await apiTokens.authenticate(token)).to.deep.equal({ type: 'agent', id: agent!.id });
        // Expiry honoured: the token no longer works after 7 days.
        expect(await apiTokens.authenticate(token, new Date(Date.now() + 8 * 86_400_000))).to.equal(null);
      });
    });

    it('exits 4 for an unknown login, 2 for a bad --expires-days, 6 for a disabled account', async () => {
      const target = cliTarget();
      const missing = await cli(['token', 'create', '--login', unique('nobody')], target.env);
      expect(missing.code).to.equal(ExitCode.notFound);
      expect(missing.stdout).to.equal('');
      expect(missing.stderr).to.match(/^loket: No agent with login/);

      const login = unique('tok');
      expect((await cli(['user', 'create', '--role', 'agent', '--login', login, '--email', `${login}@example.test`], target.env)).code).to.equal(0);
      for (const days of ['soon', '0', '99999']) {
        const res = await cli(['token', 'create', '--login', login, '--expires-days', days], target.env);
        expect(res.code, days).to.equal(ExitCode.usage);
        expect(res.stderr, days).to.contain('--expires-days');
      }
      expect((await cli(['token', 'create'], target.env)).code).to.equal(ExitCode.usage);

      await withLoket(target, async (loket) => {
        const { agents } = loket.container.services;
        const adminLogin = unique('adm');
        const { agent: admin } = await agents.createFromOperator({ login: adminLogin, email: `${adminLogin}@example.test`, role: 'admin' }, cliSubject());
        await agents.setValidity(agentActor(admin, 'session'), login, 'invalid', cliSubject());
      });
      const disabled = await cli(['token', 'create', '--login', login], target.env);
      expect(disabled.code).to.equal(ExitCode.refused);
      expect(disabled.stdout).to.equal('');
    });
  });

  describe('configuration errors', () => {
    it('exits 5 for a malformed DATABASE_URL, naming the setting without echoing the password', async () => {
      for (const url of ['mysql://root:hunter2@/', 'postgres://u:hunter2@h/db']) {
        const res = await cli(['user', 'create', '--role', 'agent', '--login', 'x', '--email', 'x@example.test'], cliTarget({ DATABASE_URL: url }).env);
        expect(res.code, url).to.equal(ExitCode.config);
        expect(res.stderr, url).to.match(/^loket: /).and.contain('DATABASE_URL').and.not.contain('hunter2');
        expect(res.stderr.trim().split('\n'), url).to.have.length(1);
        expect(res.stdout).to.equal('');
      }
    });

    it('exits 5 when the database does not answer, without echoing the password', async () => {
      const res = await cli(['migrate'], cliTarget({ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:1/test' }).env);
      expect(res.code).to.equal(ExitCode.config);
      expect(res.stderr).to.contain('loket: Database mysql://root:***@127.0.0.1:1/test not reachable').and.not.contain('hunter2');
      expect(res.stderr).to.not.contain('    at ');
      expect(res.stdout).to.equal('');
      const debug = await cli(['migrate'], cliTarget({ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:1/test', LOG_LEVEL: 'debug' }).env);
      expect(debug.code).to.equal(ExitCode.config);
      expect(debug.stderr).to.contain('DatabaseUnreachableError').and.contain('    at ').and.not.contain('hunter2');
    });

    it('exits 5 for a missing LOKET_CONFIG file or an invalid LOG_LEVEL', async () => {
      const missing = await cli(['migrate'], cliTarget({ LOKET_CONFIG: join(tempDir(), 'nope.json') }).env);
      expect(missing.code).to.equal(ExitCode.config);
      expect(missing.stderr).to.contain('LOKET_CONFIG');
      const level = await cli(['migrate'], cliTarget({ LOG_LEVEL: 'chatty' }).env);
      expect(level.code).to.equal(ExitCode.config);
      expect(level.stderr).to.contain('LOG_LEVEL');
    });
  });

  describe('migrate', () => {
    it('names each applied migration, then says the schema is up to date', async () => {
      const target = cliTarget();
      const first = await cli(['migrate'], target.env);
      expect(first.code, first.stderr).to.equal(ExitCode.ok);
      expect(first.stdout).to.match(/Applied \d{14}_foundation\n/);
      expect(first.stderr).to.equal('');
      const second = await cli(['migrate'], target.env);
      expect(second.code).to.equal(ExitCode.ok);
      expect(second.stdout).to.equal('Database schema is up to date\n');
    });
  });

  describe('seed --demo', () => {
    it('seeds staff, two customers and their users into an empty database once, and saves the credentials', async () => {
      const target = cliTarget();
      const res = await cli(['seed', '--demo'], target.env);
      expect(res.code, res.stderr).to.equal(ExitCode.ok);
      const passwords = [...res.stdout.matchAll(/password: (\S+)/g)].map((m) => m[1]!);
      expect(passwords).to.have.length(10);
      for (const login of ['admin', 'agent', 'agent2', 'jan.devries', 'lars.berg']) expect(res.stdout).to.contain(`login: ${login}`);
      const file = join(target.dataDir, 'demo-credentials.txt');
      const saved = readFileSync(file, 'utf8');
      for (const password of passwords) expect(saved).to.contain(password);
      expect(statSync(file).mode & 0o777).to.equal(0o600);

      const again = await cli(['seed', '--demo'], target.env);
      expect(again.code).to.equal(ExitCode.ok);
      expect(again.stdout).to.contain('already has accounts');
      expect(readFileSync(file, 'utf8')).to.equal(saved);
      await withLoket(target, async (loket) => {
        expect(await loket.container.services.agents.count()).to.equal(3);
        expect(await loket.container.services.agents.verifyCredentials('admin', passwords[0]!)).to.not.equal(null);
        const lars = await loket.container.services.customerUsers.findByLogin('lars.berg');
        expect(lars).to.include({ customerId: 'fjord' });
        expect(lars!.customerIds).to.deep.equal(['acme']);
        expect(lars!.fields).to.have.property('room');
        const janPassword = /login: jan\.devries\s+password: (\S+)/.exec(res.stdout)![1]!;
        const jan = await loket.container.services.customerAccounts.verifyCredentials('jan.devries@acme.example', janPassword);
        expect(jan!.keyUserOf).to.deep.equal(['acme']);
        const admin = (await loket.container.services.actors.resolve({ type: 'agent', id: (await loket.container.services.agents.findByLogin('admin'))!.id }, 'session'))!;
        const larsRights = await loket.container.services.assignments.effective(admin, 'lars.berg');
        const sources = new Set([...larsRights.groups, ...larsRights.services].flatMap((cell) => cell.reasons.map((r) => r.source)));
        expect([...sources].sort()).to.deep.equal(['customer', 'default', 'group']);
        const jans = await loket.container.services.assignments.effective(admin, 'jan.devries');
        expect(jans.groups.find((g) => g.group === 'it-support' && g.permission === 'ro')!.reasons).to.deep.include({ source: 'direct', impliedBy: 'rw' });
      });
    });

    it('is refused with NODE_ENV=production (exit 6) and needs --demo (exit 2)', async () => {
      const target = cliTarget({ NODE_ENV: 'production' });
      const res = await cli(['seed', '--demo'], target.env);
      expect(res.code).to.equal(ExitCode.refused);
      expect(res.stderr).to.contain('production');
      expect(existsSync(join(target.dataDir, 'demo-credentials.txt'))).to.equal(false);
      expect((await cli(['seed'], cliTarget().env)).code).to.equal(ExitCode.usage);
      await withLoket(target, async (loket) => expect(await loket.container.services.agents.count()).to.equal(0));
    });
  });

  describe('audit verify', () => {
    it('reports an intact chain with its entry count, and a broken one with exit 7', async () => {
      const target = cliTarget();
      for (const n of [1, 2]) {
        const login = unique(`aud${n}`);
        expect((await cli(['user', 'create', '--role', 'agent', '--login', login, '--email', `${login}@example.test`], target.env)).code).to.equal(0);
      }
      const intact = await cli(['audit', 'verify'], target.env);
      expect(intact.code, intact.stderr).to.equal(ExitCode.ok);
      expect(intact.stdout).to.equal('audit chain intact (2 entries)\n');

      const brokenId = await withLoket(target, async (loket) => {
        const { knex, tables } = loket.container;
        const first = await knex<{ id: number | string; action: string }>(tables.audit_log).orderBy('id').first('id');
        await knex(tables.audit_log).where({ id: first!.id }).update({ action: 'agent.tampered' });
        return Number(first!.id);
      });
      const broken = await cli(['audit', 'verify'], target.env);
      expect(broken.code).to.equal(ExitCode.integrity);
      expect(broken.stderr).to.contain(`audit chain broken at entry ${brokenId}`);
    });
  });

  describe('bin/loket.mjs', () => {
    it('runs as a child process: user create --json, then token create for that user', async function () {
      this.timeout(60_000);
      const target = cliTarget();
      const login = unique('bin');
      const created = await spawnCli(['user', 'create', '--role', 'admin', '--login', login, '--email', `${login}@example.test`, '--json'], target.env);
      expect(created.code, created.stderr).to.equal(ExitCode.ok);
      const body = JSON.parse(created.stdout) as { login: string; generatedPassword: string };
      expect(body.login).to.equal(login);

      const issued = await spawnCli(['token', 'create', '--login', login], target.env);
      expect(issued.code, issued.stderr).to.equal(ExitCode.ok);
      const token = issued.stdout.trim();
      expect(token).to.match(TOKEN);
      await withLoket(target, async (loket) => {
        expect(await loket.container.services.apiTokens.authenticate(token)).to.not.equal(null);
        expect(await loket.container.services.agents.verifyCredentials(login, body.generatedPassword)).to.not.equal(null);
      });

      const missing = await spawnCli(['token', 'create', '--login', unique('nobody')], target.env);
      expect(missing.code).to.equal(ExitCode.notFound);
      expect(missing.stderr).to.match(/^loket: /).and.not.contain('    at ');
    });

    it('serves until SIGTERM and then exits 0', async function () {
      this.timeout(60_000);
      const target = cliTarget({ PORT: '0', LOG_LEVEL: 'warn' });
      const child = spawn(process.execPath, [join(packageRoot, 'bin', 'loket.mjs'), 'serve'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...target.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /listening on (http\S+)/.exec(stdout);
            if (match) resolve(match[1]!);
          });
          void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
        });
        const res = await fetch(`${url}/healthz`);
        expect(res.status).to.equal(200);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited, stderr).to.equal(0);
      expect(stderr).to.contain('SIGTERM');
    });
  });
});
