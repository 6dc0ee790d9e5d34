/**
 * Benchmark child: a bare Express 5 app rendering Loket's own templates with the same view engine setup
 * as plugin/app.ts in production (EJS, view cache on) and equivalent locals, but none of Loket's
 * middleware: no helmet, session, passport, CSRF, body parsers or database. The i18next `t` is Loket's own
 * translator (plugin/i18n), so both sides pay the same translation cost and the difference is the plumbing.
 *
 *   GET /login  renders views/auth/login.ejs as an anonymous visitor sees it
 *   GET /agent  renders views/agent/home.ejs as a signed-in agent sees it
 *   GET /hello  sends "ok": the ceiling of Express plus autocannon on this machine, no template at all
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ejs from 'ejs';
import express from 'express';
import { createTranslator, LANGUAGES } from '../../plugin/i18n/index.js';
import { viewsDir } from '../../plugin/paths.js';
import { serveControlChannel, type ReadyMessage } from '../lib/protocol.js';

const app = express();
app.disable('x-powered-by');
app.set('views', viewsDir);
app.set('view engine', 'ejs');
app.engine('ejs', ejs.renderFile);
app.set('view cache', true);

const t = createTranslator('en').t('en');
// csrf-sync's token: 32 random bytes as hex, kept per session. Here one fixed token stands in for it.
const csrfToken = randomBytes(32).toString('hex');
const agentCapabilities = new Set(['agent.use', 'api-token.own']);

/** The locals Loket's languageLocals and actorLocals middleware set on every page. */
function commonLocals(path: string, signedIn: boolean) {
  return {
    lang: 'en',
    t,
    languages: LANGUAGES,
    base: '',
    csrfToken,
    currentPath: path,
    actor: signedIn ? agentActor : null,
    can: (capability: string) => signedIn && agentCapabilities.has(capability),
  };
}

const agentActor = {
  kind: 'agent',
  principal: { type: 'agent', id: 1 },
  login: 'bench-agent',
  displayName: 'Bench Agent',
  email: 'bench-agent@example.test',
  roles: ['agent'],
  customerId: null,
  effectiveCustomerId: null,
  delegation: null,
  authenticatedBy: 'session',
  language: null,
};
const self = { lastLoginAt: new Date().toISOString() };

app.get('/login', (_req, res) => {
  res.render('auth/login', { ...commonLocals('/login', false), login: '', returnTo: null, error: null, notice: null });
});

app.get('/agent', (_req, res) => {
  res.render('agent/home', { ...commonLocals('/agent', true), self });
});

app.get('/hello', (_req, res) => {
  res.type('text/plain').send('ok');
});

const server = await new Promise<Server>((resolve, reject) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
  s.once('error', reject);
});
const { port } = server.address() as AddressInfo;

serveControlChannel(
  () => {
    globalThis.gc?.();
    return Promise.resolve({ type: 'stats', heapUsedBytes: process.memoryUsage().heapUsed });
  },
  async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
);

const ready: ReadyMessage = { type: 'ready', url: `http://127.0.0.1:${port}` };
process.stdout.write(`${JSON.stringify(ready)}\n`);
