import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import type { LoketOptionsInput } from '../../plugin/config/schema.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import type { AgentRole } from '../../plugin/agents/schema.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { freshDatabase, rememberPrefix } from './db.js';
import { startSmtp, type TestSmtp } from './smtp.js';

export interface TestApp {
  /** Base URL including the mount path, e.g. http://127.0.0.1:40123/helpdesk */
  url: string;
  origin: string;
  loket: LoketInternals;
  host: express.Express;
  close(): Promise<void>;
  createAgent(role?: AgentRole, extra?: { language?: 'en' | 'nl' | 'nb' }): Promise<TestAccount>;
}

export interface TestAccount {
  id: number;
  login: string;
  password: string;
  email: string;
}

export const unique = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

/**
 * Starts Loket on port 0 against a database of its own, mounted in a bare host app (at the root, or at
 * `mountPath`). `beforeMount` lets a test give the host routes of its own first.
 */
export async function startTestApp(
  opts: {
    mountPath?: string;
    options?: Partial<LoketOptionsInput>;
    beforeMount?: (host: express.Express) => void;
  } = {},
): Promise<TestApp> {
  const db = freshDatabase();
  rememberPrefix(db.tablePrefix);
  const loket = buildLoket({
    env: 'test',
    logLevel: (process.env.TEST_LOG_LEVEL as LoketOptionsInput['logLevel']) ?? 'silent',
    databaseUrl: db.databaseUrl,
    tablePrefix: db.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
    ...opts.options,
  });
  await loket.migrate();
  const host = express();
  opts.beforeMount?.(host);
  if (opts.mountPath) host.use(opts.mountPath, loket.app);
  else host.use(loket.app);
  const server: Server = await new Promise((resolve) => {
    const s = host.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin + (opts.mountPath ?? ''),
    origin,
    loket,
    host,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await loket.close();
    },
    async createAgent(role = 'agent', extra = {}) {
      const login = unique(role);
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const email = `${login}@example.test`;
      const { agent } = await loket.container.services.agents.createFromOperator(
        { login, email, role, password, firstName: 'Test', lastName: role, ...extra },
        cliSubject(),
      );
      return { id: agent.id, login, password, email };
    },
  };
}

export type Agent = ReturnType<typeof request.agent>;

export function csrfFrom(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** Signs in through the real login form; returns the cookie-carrying agent and the next page's token. */
export async function signIn(app: TestApp, account: { login: string; password: string }): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app.url);
  const page = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), login: account.login, password: account.password });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  const next = await agent.get(res.headers.location!.slice(new URL(app.url).pathname.replace(/\/$/, '').length) || '/');
  return { agent, csrf: csrfFrom(next.text) };
}

/** A test app that sends real mail to an in-process SMTP server, with a public address for the links. */
export async function startMailingTestApp(): Promise<{ app: TestApp; smtp: TestSmtp; close(): Promise<void> }> {
  const smtp = await startSmtp();
  const app = await startTestApp({ options: { baseUrl: 'http://loket.test', smtp: { url: smtp.url } } });
  return {
    app,
    smtp,
    async close() {
      await app.close();
      await smtp.close();
    },
  };
}
