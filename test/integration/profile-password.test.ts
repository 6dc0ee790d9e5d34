import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request, { type Response } from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { bearer, issueToken } from '../helpers/api.js';
import { csrfFrom, signIn, startTestApp, type Agent, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';

const COOKIE = 'loket.sid';
const newPassword = () => `new-${randomBytes(12).toString('hex')}`;

/** The session cookie a response sets (the session is rolling, so every page answer carries it). */
function sessionCookieOf(res: Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = header?.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${COOKIE}=`));
  if (!cookie) throw new Error('no session cookie in the answer');
  return cookie;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe('customer users change their own password', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;

  before(async () => {
    app = await startTestApp();
    admin = await adminActor(app);
  });

  after(async () => {
    await app.close();
  });

  const services = () => app.loket.container.services;
  const newUser = () => createCustomerUser(app, admin);
  const passwordWorks = async (user: TestCustomerUser, password: string) => (await services().customerAccounts.verifyCredentials(user.login, password)) !== null;

  async function signInFails(account: { login: string; password: string }): Promise<boolean> {
    try {
      await signIn(app, account);
      return false;
    } catch (err) {
      return String(err).includes('login failed with 401');
    }
  }

  async function auditEntries(user: TestCustomerUser) {
    const entries = await services().audit.list(admin, { objectType: 'customer-user', objectId: user.login, limit: 50 });
    return entries.filter((e) => e.action === 'customer-user.password-change');
  }

  async function profilePage(agent: Agent): Promise<{ res: Response; csrf: string }> {
    const res = await agent.get('/portal/profile').expect(200);
    return { res, csrf: csrfFrom(res.text) };
  }

  describe('on the profile page', () => {
    it('changes the password: the old one stops working, other sessions end, this one goes on under a new id', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const other = await signIn(app, user);
      const { res: page, csrf } = await profilePage(agent);
      const oldCookie = sessionCookieOf(page);
      expect(page.text).to.contain('Change password');
      expect(page.text).to.contain('<label for="pw-current">Current password</label>');
      expect(page.text).to.contain('<label for="pw-password">New password</label>');
      expect(page.text).to.contain('<label for="pw-confirm">Repeat the new password</label>');
      expect(page.text).to.match(/id="pw-current" name="current" type="password" autocomplete="current-password"/);
      expect(page.text).to.match(/id="pw-password" name="password" type="password" autocomplete="new-password"/);
      expect(page.text).to.match(/id="pw-confirm" name="confirm" type="password" autocomplete="new-password"/);
      expect(page.text).to.contain(`action="/portal/profile/password"`);

      const next = newPassword();
      const changed = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: user.password, password: next, confirm: next }));
      expect(changed.status).to.equal(303);
      expect(changed.headers.location).to.equal('/portal/profile?notice=passwordChanged');
      const newCookie = sessionCookieOf(changed);
      expect(newCookie).to.not.equal(oldCookie);

      const after = await agent.get(changed.headers.location!).expect(200);
      expect(after.text).to.contain('Your password has been changed.');
      await agent.get('/api/v1/me').expect(200);
      // The other browser and the old session id are both signed out.
      await other.agent.get('/api/v1/me').expect(401);
      const otherPage = await other.agent.get('/portal/profile');
      expect(otherPage.status).to.equal(303);
      expect(otherPage.headers.location).to.contain('/login');
      await request(app.url).get('/api/v1/me').set('Cookie', oldCookie).expect(401);

      expect(await signInFails(user)).to.equal(true);
      await signIn(app, { login: user.login, password: next });

      const entries = await auditEntries(user);
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({ actorLogin: user.login, actorKind: 'customer' });
      const stored = JSON.stringify(entries);
      expect(stored).to.not.contain(next).and.not.contain(user.password);
    });

    it('keeps the password when the current one is wrong and says so next to the field', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const other = await signIn(app, user);
      const { csrf } = await profilePage(agent);
      const next = newPassword();
      const res = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: `${user.password}x`, password: next, confirm: next }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('<small id="pw-current-error" class="field-error">The current password is not accepted.</small>');
      expect(res.text).to.match(/id="pw-current"[^>]*aria-invalid="true"/);
      expect(res.text).to.contain('href="#pw-current"');
      // The typed passwords are never sent back into the page.
      expect(res.text).to.not.contain(next).and.not.contain(user.password);
      expect(await passwordWorks(user, user.password)).to.equal(true);
      expect(await passwordWorks(user, next)).to.equal(false);
      await other.agent.get('/api/v1/me').expect(200);
      expect(await auditEntries(user)).to.have.length(0);
    });

    it('shows the article\'s messages for a short password, two different passwords and the same password', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const { csrf } = await profilePage(agent);

      const short = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: user.password, password: 'short-pw', confirm: 'short-pw' }));
      expect(short.status).to.equal(400);
      expect(short.text).to.contain('<small id="pw-password-error" class="field-error">The password must have at least 12 characters.</small>');

      const next = newPassword();
      const mismatch = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: user.password, password: next, confirm: `${next}!` }));
      expect(mismatch.status).to.equal(400);
      expect(mismatch.text).to.contain('<small id="pw-confirm-error" class="field-error">The two passwords are not the same.</small>');

      const same = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: user.password, password: user.password, confirm: user.password }));
      expect(same.status).to.equal(422);
      expect(same.text).to.contain('id="pw-password-error"');

      expect(await passwordWorks(user, user.password)).to.equal(true);
      expect(await auditEntries(user)).to.have.length(0);
    });

    it('answers in the person\'s language', async () => {
      const user = await createCustomerUser(app, admin, { extra: { language: 'nl' } });
      const { agent } = await signIn(app, user);
      const page = await agent.get('/portal/profile').set('Accept-Language', 'nl').expect(200);
      expect(page.text).to.contain('Wachtwoord wijzigen').and.contain('Huidig wachtwoord');
      const res = await agent
        .post('/portal/profile/password')
        .set('Accept-Language', 'nl')
        .type('form')
        .send(form({ _csrf: csrfFrom(page.text), current: 'not-the-password', password: newPassword(), confirm: 'x' }));
      expect(res.text).to.contain('De twee wachtwoorden zijn niet gelijk.');
    });

    it('refuses a post without the CSRF token, and staff, who have no profile here', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const next = newPassword();
      await agent.post('/portal/profile/password').type('form').send(form({ current: user.password, password: next, confirm: next })).expect(403);
      expect(await passwordWorks(user, user.password)).to.equal(true);

      const staff = await app.createAgent('agent');
      const signedIn = await signIn(app, staff);
      await signedIn.agent
        .post('/portal/profile/password')
        .type('form')
        .send(form({ _csrf: signedIn.csrf, current: staff.password, password: next, confirm: next }))
        .expect(403);
    });

    it('shows no password section to a person whose password Loket does not keep, and refuses the change', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const { csrf } = await profilePage(agent);
      // Like a directory user: signed in, but without a password of Loket's own.
      const { knex, tables } = app.loket.container;
      await knex(tables.customer_users).where({ id: user.id }).update({ password_hash: null });
      const page = await agent.get('/portal/profile').expect(200);
      expect(page.text).to.not.contain('name="current"').and.not.contain('/portal/profile/password');
      const next = newPassword();
      const res = await agent.post('/portal/profile/password').type('form').send(form({ _csrf: csrf, current: user.password, password: next, confirm: next }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Your password is managed by your organisation.');
      const api = await agent.post('/api/v1/profile/password').set('X-CSRF-Token', csrf).send({ current: user.password, password: next }).expect(422);
      expect(api.body.error.code).to.equal('password_managed_elsewhere');
    });
  });

  describe('through the API', () => {
    it('changes it with the session and its CSRF header: 204, a new session id, other sessions ended', async () => {
      const user = await newUser();
      const { agent, csrf } = await signIn(app, user);
      const other = await signIn(app, user);
      const oldCookie = sessionCookieOf(await agent.get('/api/v1/me').expect(200));
      const next = newPassword();
      await agent.post('/api/v1/profile/password').send({ current: user.password, password: next }).expect(403);
      expect(await passwordWorks(user, user.password)).to.equal(true);

      const res = await agent.post('/api/v1/profile/password').set('X-CSRF-Token', csrf).send({ current: user.password, password: next }).expect(204);
      expect(sessionCookieOf(res)).to.not.equal(oldCookie);
      expect((await agent.get('/api/v1/me').expect(200)).body.login).to.equal(user.login);
      await other.agent.get('/api/v1/me').expect(401);
      await request(app.url).get('/api/v1/me').set('Cookie', oldCookie).expect(401);
      expect(await passwordWorks(user, next)).to.equal(true);
      expect(await passwordWorks(user, user.password)).to.equal(false);
    });

    it('works with the customer user\'s Bearer token and ends their sessions', async () => {
      const user = await newUser();
      const { agent } = await signIn(app, user);
      const token = await issueToken(app, { type: 'customer-user', id: user.id }, user.login);
      const next = newPassword();
      const res = await bearer(app, token).post('/profile/password').send({ current: user.password, password: next });
      expect(res.status).to.equal(204);
      expect(res.headers['set-cookie']).to.equal(undefined);
      await agent.get('/api/v1/me').expect(401);
      expect(await passwordWorks(user, next)).to.equal(true);
      const entries = await auditEntries(user);
      expect(entries).to.have.length(1);
      expect(JSON.stringify(entries)).to.not.contain(next).and.not.contain(user.password);
    });

    it('answers 422 wrong_password for a wrong current password and 400 for a short or malformed one', async () => {
      const user = await newUser();
      const token = await issueToken(app, { type: 'customer-user', id: user.id }, user.login);
      const api = bearer(app, token);
      const next = newPassword();

      const wrong = await api.post('/profile/password').send({ current: 'not-the-password', password: next }).expect(422);
      expect(wrong.body.error).to.include({ code: 'wrong_password', field: 'current', message: 'The current password is not accepted.' });
      const short = await api.post('/profile/password').send({ current: user.password, password: 'short-pw' }).expect(400);
      expect(short.body.error.field).to.equal('password');
      expect(short.body.error.message).to.contain('The password must have at least 12 characters.');
      const same = await api.post('/profile/password').send({ current: user.password, password: user.password }).expect(422);
      expect(same.body.error.code).to.equal('same_password');
      for (const body of [{ current: [user.password], password: next }, { current: user.password }, [user.password, next]]) {
        await api.post('/profile/password').send(body).expect(400);
      }

      expect(await passwordWorks(user, user.password)).to.equal(true);
      expect(await passwordWorks(user, next)).to.equal(false);
      expect(await auditEntries(user)).to.have.length(0);
    });

    it('refuses agents and admins with 403, by token and by session', async () => {
      const staff = await app.createAgent('agent');
      const token = await issueToken(app, { type: 'agent', id: staff.id }, staff.login);
      const next = newPassword();
      const byToken = await bearer(app, token).post('/profile/password').send({ current: staff.password, password: next });
      expect(byToken.status).to.equal(403);
      const boss = await app.createAgent('admin');
      const { agent, csrf } = await signIn(app, boss);
      await agent.post('/api/v1/profile/password').set('X-CSRF-Token', csrf).send({ current: boss.password, password: next }).expect(403);
    });

    it('is in the OpenAPI document', async () => {
      const doc = (await request(app.url).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
      const operation = doc.paths['/profile/password']?.post;
      expect(operation).to.exist;
      expect(operation!.responses).to.include.keys('400', '401', '403', '422');
      expect(JSON.stringify(operation!.requestBody)).to.contain('"current"').and.contain('"minLength":12');
    });
  });
});
