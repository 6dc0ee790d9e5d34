import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';
import request from 'supertest';
import { buildLoket } from '../../plugin/loket.js';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { DatabaseUnreachableError } from '../../plugin/db/health.js';
import { migrateLatest } from '../../plugin/db/migrator.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { signIn, startTestApp, unique, type TestApp } from '../helpers/app.js';
import { needComponent } from '../helpers/components.js';
import { freshDatabase, onMysql, rememberPrefix, testDatabaseUrl } from '../helpers/db.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('database layer', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('creates every table under the instance prefix, with its own migrations table', async () => {
    const { knex, tables } = app.loket.container;
    for (const name of [tables.agents, tables.sessions, tables.api_tokens, tables.audit_log, tables.migrations]) {
      expect(await knex.schema.hasTable(name), name).to.equal(true);
    }
    expect(await knex.schema.hasTable('agents')).to.equal(false);
  });

  it('runs migrations again without changing anything', async () => {
    const { knex, tables } = app.loket.container;
    expect(await migrateLatest(knex, tables)).to.deep.equal([]);
    expect(await app.loket.migrate()).to.deep.equal([]);
  });

  it('turns a duplicate key into a 409 conflict naming the field, by driver code', async () => {
    const account = await app.createAgent('agent');
    try {
      await app.loket.container.services.agents.createFromOperator(
        { login: account.login.toUpperCase(), email: 'other@example.test', role: 'agent' },
        cliSubject(),
      );
      expect.fail('duplicate login was accepted');
    } catch (err) {
      expect(err).to.include({ status: 409, code: 'duplicate', field: 'login' });
    }
  });

  it('stores timestamps as UTC ISO strings and reads booleans and JSON the same on both dialects', async () => {
    const account = await app.createAgent('agent');
    const agent = await app.loket.container.services.agents.findById(account.id);
    expect(agent!.createdAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [entry] = await app.loket.container.services.audit.list(
      (await app.loket.container.services.actors.resolve({ type: 'agent', id: (await app.createAgent('admin')).id }, 'session'))!,
      { objectType: 'agent', objectId: account.login, limit: 5 },
    );
    expect(entry!.after).to.deep.include({ login: account.login, role: 'agent' });
  });

  it('keeps two Loket instances with different prefixes apart in one database', async () => {
    const other = await startTestApp({ options: {} });
    try {
      const mine = await app.createAgent('agent');
      expect(await other.loket.container.services.agents.findByLogin(mine.login)).to.equal(null);
    } finally {
      await other.close();
    }
  });
});

describe('database outages', () => {
  it('retries at start-up with a clear log, then gives up with an error naming the database', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const logger = (await import('pino')).default(
      { level: 'warn' },
      { write: (line: string) => void lines.push(line) },
    );
    const loket = buildLoket({
      env: 'test',
      databaseUrl: `mysql://root:s3cret-pw@127.0.0.1:${port}/loket`,
      database: { connectRetries: 2, connectRetryDelayMs: 10, acquireTimeoutMs: 2000 },
      logger,
    });
    try {
      await loket.migrate();
      expect.fail('migrate succeeded without a database');
    } catch (err) {
      expect(err).to.be.instanceOf(DatabaseUnreachableError);
      expect((err as Error).message).to.contain(`127.0.0.1:${port}/loket`).and.contain('after 3 attempt(s)').and.contain('ECONNREFUSED');
      expect((err as Error).message).to.not.contain('s3cret-pw');
    } finally {
      await loket.close();
    }
    const retries = lines.filter((l) => l.includes('database not reachable'));
    expect(retries).to.have.length(2);
    expect(retries[0]).to.contain('attempt 1 of 3');
    expect(lines.join('\n')).to.not.contain('s3cret-pw');
  });

  it('answers 503 from /readyz and the API while MariaDB is down and recovers without a restart', async function () {
    if (!onMysql) {
      process.stderr.write('    (outage-and-recovery runs in the MariaDB pass: TEST_DATABASE_URL=mysql://…)\n');
      this.skip();
    }
    const target = parseDatabaseUrl(testDatabaseUrl);
    needComponent(this, 'MariaDB', target.dialect === 'mysql', 'TEST_DATABASE_URL must be a mysql:// URL');
    if (target.dialect !== 'mysql') return;
    const proxy = new TcpProxy(target.host, target.port);
    const port = await proxy.start();
    const db = freshDatabase();
    rememberPrefix(db.tablePrefix);
    const user = target.password ? `${target.user}:${encodeURIComponent(target.password)}` : target.user;
    const app = await startTestApp({
      options: {
        databaseUrl: `mysql://${user}@127.0.0.1:${port}/${target.database}`,
        tablePrefix: db.tablePrefix,
        database: { acquireTimeoutMs: 2000, connectRetries: 0 },
      },
    });
    try {
      const account = await app.createAgent('agent');
      const { agent } = await signIn(app, account);
      await agent.get('/api/v1/me').expect(200);

      await proxy.stop();
      const ready = await request(app.url).get('/readyz');
      expect(ready.status).to.equal(503);
      expect(ready.body.checks.database).to.equal('down');
      const api = await agent.get('/api/v1/me');
      expect(api.status).to.equal(503);
      expect(api.body.error.code).to.equal('service_unavailable');
      expect(api.headers['retry-after']).to.equal('5');
      const page = await agent.get('/agent');
      expect(page.status).to.equal(503);
      expect(page.text).to.contain('Temporarily unavailable').and.not.contain('at ');

      await proxy.start(port);
      let recovered = 0;
      for (let i = 0; i < 20 && recovered !== 200; i++) {
        recovered = (await agent.get('/api/v1/me')).status;
        if (recovered !== 200) await sleep(250);
      }
      expect(recovered).to.equal(200);
      await request(app.url).get('/readyz').expect(200);
      expect(unique('x')).to.be.a('string');
    } finally {
      await app.close();
      await proxy.stop();
    }
  });
});
