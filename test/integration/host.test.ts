import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { start } from '../../plugin/host/server.js';
import { ConfigError } from '../../plugin/errors.js';
import { csrfFrom } from '../helpers/app.js';
import { freshDatabase, rememberPrefix, tempDir } from '../helpers/db.js';
import { writeFileSync } from 'node:fs';

/** Env for the standalone host: a fresh database, the table prefix through a config file, quiet logs. */
function hostEnv(extra: Record<string, string> = {}): Record<string, string> {
  const db = freshDatabase();
  rememberPrefix(db.tablePrefix);
  const dir = tempDir('loket-host-');
  const config = join(dir, 'loket.config.json');
  writeFileSync(config, JSON.stringify({ tablePrefix: db.tablePrefix }));
  return { DATABASE_URL: db.databaseUrl, LOKET_CONFIG: config, LOKET_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', NODE_ENV: 'development', ...extra };
}

describe('standalone host', () => {
  it('seeds demo staff and customer users into an empty database, prints and saves their generated passwords, and serves each area', async () => {
    const env = hostEnv();
    let printed = '';
    const running = await start({ env, port: 0, demo: true, print: (t) => (printed += t) });
    try {
      expect(running.demoCredentials).to.have.length(10);
      const file = join(env.LOKET_DATA_DIR!, 'demo-credentials.txt');
      expect(readFileSync(file, 'utf8')).to.contain(running.demoCredentials![0]!.password);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      for (const cred of running.demoCredentials!) {
        expect(printed).to.contain(cred.password);
        expect(cred.password).to.match(/^[A-Za-z0-9]{20}$/);
        const agent = request.agent(running.url);
        const page = await agent.get('/login').expect(200);
        const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: cred.login, password: cred.password });
        expect(res.status, cred.login).to.equal(303);
        const home = cred.role === 'admin' ? '/admin' : cred.role === 'agent' ? '/agent' : '/portal';
        expect(res.headers.location, cred.login).to.equal(home);
        await agent.get(res.headers.location!).expect(200);
      }
    } finally {
      await running.stop();
    }
    // A second start on the same database seeds nothing and keeps the passwords.
    const again = await start({ env, port: 0, demo: true, print: () => undefined });
    try {
      expect(again.demoCredentials).to.equal(null);
    } finally {
      await again.stop();
    }
  });

  it('seeds nothing with NODE_ENV=production and requires SESSION_SECRET there', async () => {
    const env = hostEnv({ NODE_ENV: 'production' });
    try {
      await start({ env, port: 0, demo: true });
      expect.fail('started in production without SESSION_SECRET');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.contain('SESSION_SECRET');
    }
    const running = await start({ env: { ...env, SESSION_SECRET: 'p'.repeat(40) }, port: 0, demo: true, print: () => undefined });
    try {
      expect(running.demoCredentials).to.equal(null);
      expect(await running.loket.container.services.agents.count()).to.equal(0);
      expect(existsSync(join(env.LOKET_DATA_DIR!, 'demo-credentials.txt'))).to.equal(false);
    } finally {
      await running.stop();
    }
  });

  it('fails at start with a message naming the setting for a malformed DATABASE_URL, without echoing secrets', async () => {
    for (const url of ['mysql://root:hunter2@/', 'postgres://u:hunter2@h/db', 'not a url', 'sqlite:']) {
      try {
        await start({ env: hostEnv({ DATABASE_URL: url }), port: 0 });
        expect.fail(`started with ${url}`);
      } catch (err) {
        expect(err, url).to.be.instanceOf(ConfigError);
        expect((err as Error).message).to.contain('DATABASE_URL').and.not.contain('hunter2');
      }
    }
  });

  it('names the setting for other invalid configuration', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ BASE_URL: 'ftp://x' }, 'BASE_URL'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
      [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
      [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    ];
    for (const [extra, setting] of cases) {
      try {
        await start({ env: hostEnv(extra), port: 0 });
        expect.fail(`started with ${JSON.stringify(extra)}`);
      } catch (err) {
        expect(err, setting).to.be.instanceOf(ConfigError);
        expect((err as Error).message, setting).to.contain(setting);
        if (extra.SESSION_SECRET) expect((err as Error).message).to.not.contain('short');
      }
    }
  });

  it('stops cleanly on SIGTERM (the real entry point, as npm start runs it)', async function () {
    this.timeout(30_000);
    const secret = 'top-secret-session-key-'.padEnd(40, 'x');
    const env = { ...process.env, ...hostEnv({ PORT: '0', LOG_LEVEL: 'info', SESSION_SECRET: secret }) };
    const child = spawn(process.execPath, ['--import', 'tsx', 'plugin/host/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line:\n${output}`)), 25_000);
      child.stdout.on('data', () => {
        const match = /"url":"(http:\/\/localhost:\d+)"/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(output).to.contain('Loket demo accounts');
    await request(url).get('/healthz').expect(200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(output).to.contain('Loket stopped');
    // Secrets never reach the log.
    expect(output).to.not.contain(secret);
  });
});
