import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { toDbTime } from '../../plugin/db/values.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

/** A form body with repeated names for lists (checkboxes), as a browser sends it. */
function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();

/** The rows of the table with this id, each as its cells' text (header cells included). */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (table === undefined) return [];
  const body = [/<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '', /<tfoot>([\s\S]*?)<\/tfoot>/.exec(table)?.[1] ?? ''].join('');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)));
}

const rowOf = (rows: string[][], first: string): string[] | undefined => rows.find((r) => r[0] === first);

const editPath = (name: string) => `/admin/queues/${encodeURIComponent(name)}/edit`;
const groupsPath = (login: string) => `/admin/agents/${encodeURIComponent(login)}/groups`;

describe('ticket admin screens: queues, agents\' groups and the dashboard', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: { agent: Agent; csrf: string };
  let actor: Actor;
  const services = () => app.loket.container.services;

  before(async () => {
    app = await startTestApp();
    const account = await app.createAgent('admin');
    admin = await signIn(app, account);
    actor = (await services().actors.resolve({ type: 'agent', id: account.id }, 'session'))!;
  });
  after(async () => {
    await app.close();
  });

  describe('queues', () => {
    it('lets an admin create and edit a queue through the forms, audited', async () => {
      const group = unique('grp');
      const other = unique('grp');
      for (const name of [group, other]) await services().groups.create(actor, { name }, cliSubject());
      const name = unique('Queue');

      const blank = await admin.agent.get('/admin/queues/new').expect(200);
      expect(blank.text).to.contain(`<option value="${group}">`);
      const created = await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: csrfFrom(blank.text), name, group, comment: 'First line', validity: 'valid' }));
      expect(created.status).to.equal(303);
      expect(created.headers.location).to.equal('/admin/queues?notice=created');
      const list = await admin.agent.get(created.headers.location!).expect(200);
      expect(list.text).to.contain('The queue was created.');
      expect(rowOf(tableRows(list.text, 'q-list'), name)).to.deep.equal([name, group, 'Valid', 'First line']);

      const edit = await admin.agent.get(editPath(name)).expect(200);
      const version = /name="version" value="(\d+)"/.exec(edit.text)![1]!;
      const renamed = `${name}-2`;
      const saved = await admin.agent.post(editPath(name)).type('form').send(form({ _csrf: admin.csrf, version, name: renamed, group: other, comment: 'Second line', validity: 'invalid-temporarily' }));
      expect(saved.status).to.equal(303);
      const queue = (await services().queues.all()).find((q) => q.name === renamed);
      expect(queue).to.include({ group: other, comment: 'Second line', validity: 'invalid-temporarily' });

      const audit = await services().audit.list(actor, { objectType: 'queue', limit: 50 });
      const actions = audit.filter((e) => e.objectId === name || e.objectId === renamed).map((e) => e.action);
      expect(actions).to.have.members(['queue.create', 'queue.update']);
    });

    it('refuses a duplicate name, a stale version and a missing group on the form, keeping the input', async () => {
      const { queue, group } = await createQueue(app, actor);
      const duplicate = await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: admin.csrf, name: queue.toUpperCase(), group, comment: 'Kept comment' }));
      expect(duplicate.status).to.equal(409);
      expect(duplicate.text).to.contain('There is already a queue with this name.').and.contain('href="#q-name"');
      expect(duplicate.text).to.contain('Kept comment');

      const edit = await admin.agent.get(editPath(queue)).expect(200);
      const version = /name="version" value="(\d+)"/.exec(edit.text)![1]!;
      await admin.agent.post(editPath(queue)).type('form').send(form({ _csrf: admin.csrf, version, name: queue, group, comment: 'First save' })).expect(303);
      const stale = await admin.agent.post(editPath(queue)).type('form').send(form({ _csrf: admin.csrf, version, name: queue, group, comment: 'Stale save' }));
      expect(stale.status).to.equal(409);
      expect(stale.text).to.contain('Someone else saved a change').and.contain('Stale save');
      expect((await services().queues.all()).find((q) => q.name === queue)?.comment).to.equal('First save');

      const noGroup = await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: admin.csrf, name: unique('Queue'), group: unique('missing') }));
      expect(noGroup.status).to.equal(422);
      expect(noGroup.text).to.contain('This group does not exist').and.contain('href="#q-group"');
      const empty = await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: admin.csrf, name: '', group }));
      expect(empty.status).to.equal(400);
      expect(empty.text).to.contain('Enter a name of 1 to 100 characters');
    });

    it('takes one string per field, needs the CSRF token and escapes names', async () => {
      const group = unique('grp');
      await services().groups.create(actor, { name: group }, cliSubject());
      const repeated = await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: admin.csrf, name: ['a', 'b'], group }));
      expect(repeated.status).to.equal(400);
      const forged = await admin.agent.post('/admin/queues').type('form').send(form({ name: unique('Queue'), group }));
      expect(forged.status).to.equal(403);
      // Mass assignment: an id or version on create is not a field of the form and changes nothing.
      const name = `<script>alert(1)</script>${unique('Q')}`;
      await admin.agent.post('/admin/queues').type('form').send(form({ _csrf: admin.csrf, name, group, id: '1', version: '99' })).expect(303);
      const list = await admin.agent.get('/admin/queues').expect(200);
      expect(list.text).not.to.contain('<script>alert(1)</script>');
      expect(list.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect((await services().queues.all()).find((q) => q.name === name)?.version).to.equal(1);
    });

    it('gives agents 403 on the queue screens and sends visitors to the login', async () => {
      const agent = await signIn(app, await app.createAgent('agent'));
      await agent.agent.get('/admin/queues').expect(403);
      await agent.agent.get('/admin/queues/new').expect(403);
      const { queue, group } = await createQueue(app, actor);
      await agent.agent.get(editPath(queue)).expect(403);
      await agent.agent.post('/admin/queues').type('form').send(form({ _csrf: agent.csrf, name: unique('Queue'), group })).expect(403);
      await agent.agent.post(editPath(queue)).type('form').send(form({ _csrf: agent.csrf, version: '1', name: queue, group, comment: 'agent was here' })).expect(403);
      expect((await services().queues.all()).find((q) => q.name === queue)?.comment).to.equal('');
      const visitor = await request(app.url).get('/admin/queues');
      expect(visitor.status).to.equal(303);
      expect(visitor.headers.location).to.contain('/login?returnTo=');
      await admin.agent.get(editPath(unique('none'))).expect(404);
    });
  });

  describe("agents' groups", () => {
    it('sets an agent\'s groups on the page; the agent then sees that queue\'s tickets, and it is audited', async () => {
      const { queue, group } = await createQueue(app, actor);
      const user = await customerIn(app, actor, group, ['create']);
      const { ticket } = await services().tickets.create(await actorOf(app, user, 'customer-user'), { title: 'Screen flickers', body: 'Since Monday.', queue }, null);
      const account = await app.createAgent('agent');
      expect((await services().tickets.list(await actorOf(app, account, 'agent'), {})).items.map((t) => t.number)).not.to.include(ticket.number);

      const page = await admin.agent.get(groupsPath(account.login)).expect(200);
      expect(page.text).to.contain(`value="ro:${group}"`).and.contain('see the tickets of the group').and.contain(queue);
      const saved = await admin.agent.post(groupsPath(account.login)).type('form').send(form({ _csrf: csrfFrom(page.text), grant: [`ro:${group}`] }));
      expect(saved.status).to.equal(303);
      const after = await admin.agent.get(saved.headers.location!).expect(200);
      expect(text(after.text)).to.contain("The agent's groups were saved.");
      expect(after.text).to.match(new RegExp(`value="ro:${group}"[^>]*\\schecked>`));
      expect(after.text).not.to.match(new RegExp(`value="rw:${group}"[^>]*\\schecked>`));

      const seen = await services().tickets.list(await actorOf(app, account, 'agent'), {});
      expect(seen.items.map((t) => t.number)).to.include(ticket.number);
      const audit = await services().audit.list(actor, { objectType: 'agent', objectId: account.login, limit: 10 });
      expect(audit.map((e) => e.action)).to.include('agent.groups');

      // Unticking everything revokes it from the next request on.
      await admin.agent.post(groupsPath(account.login)).type('form').send(form({ _csrf: admin.csrf })).expect(303);
      expect((await services().tickets.list(await actorOf(app, account, 'agent'), {})).total).to.equal(0);
    });

    it('refuses an unknown group on the form, 404 for an unknown agent, 403 for agents', async () => {
      const account = await app.createAgent('agent');
      const { group } = await createQueue(app, actor);
      const refused = await admin.agent.post(groupsPath(account.login)).type('form').send(form({ _csrf: admin.csrf, grant: [`ro:${group}`, `rw:${unique('gone')}`] }));
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('class="error-summary"');
      expect((await services().agentGroups.groupsOf(actor, account.login)).groups).to.deep.equal([]);
      await admin.agent.get(groupsPath(unique('nobody'))).expect(404);
      await admin.agent.post(groupsPath(account.login)).type('form').send(form({ grant: [`ro:${group}`] })).expect(403);

      const agent = await signIn(app, await app.createAgent('agent'));
      await agent.agent.get(groupsPath(account.login)).expect(403);
      await agent.agent.post(groupsPath(account.login)).type('form').send(form({ _csrf: agent.csrf, grant: [`rw:${group}`] })).expect(403);
      // Not even for themself: an agent never grants their own groups.
      const self = await app.createAgent('agent');
      const selfSession = await signIn(app, self);
      await selfSession.agent.post(groupsPath(self.login)).type('form').send(form({ _csrf: selfSession.csrf, grant: [`rw:${group}`] })).expect(403);
      expect((await services().agentGroups.groupsOf(actor, self.login)).groups).to.deep.equal([]);
    });

    it('links every agent on the agents page to their groups, and the admin home to queues and the dashboard', async () => {
      const account = await app.createAgent('agent');
      const agents = await admin.agent.get('/admin/agents').expect(200);
      expect(agents.text).to.contain(`href="${groupsPath(account.login)}"`);
      const home = await admin.agent.get('/admin').expect(200);
      expect(home.text).to.contain('href="/admin/queues"').and.contain('href="/agent/dashboard"');
    });
  });

  describe('dashboard', () => {
    // A database of its own, so every count on the page is this test's.
    let dash: TestApp;
    let dashAdmin: Actor;
    let first: { queue: string; group: string };
    let second: { queue: string; group: string };
    let articleTitle: string;

    before(async () => {
      dash = await startTestApp();
      dashAdmin = await adminActor(dash);
      first = await createQueue(dash, dashAdmin);
      second = await createQueue(dash, dashAdmin);
      const { tickets, deflections } = dash.loket.container.services;
      const customer = await actorOf(dash, await customerIn(dash, dashAdmin, first.group, ['create']), 'customer-user');
      const other = await actorOf(dash, await customerIn(dash, dashAdmin, second.group, ['create']), 'customer-user');
      const inFirst = [];
      for (const title of ['one', 'two', 'three', 'four']) inFirst.push((await tickets.create(customer, { title, body: 'x', queue: first.queue }, null)).ticket);
      await tickets.changeState(dashAdmin, inFirst[0]!.number, 'pending');
      await tickets.changeState(dashAdmin, inFirst[1]!.number, 'resolved');
      await tickets.create(other, { title: 'five', body: 'x', queue: second.queue }, null);
      // Created long ago: open, but outside the 30 days; and one ten days back, on its own day.
      const old = (await tickets.create(other, { title: 'old', body: 'x', queue: second.queue }, null)).ticket;
      const tenDays = (await tickets.create(other, { title: 'ten days', body: 'x', queue: second.queue }, null)).ticket;
      const { knex, tables } = dash.loket.container;
      await knex(tables.tickets).where({ number: old.number }).update({ created_at: toDbTime(Date.now() - 40 * 86_400_000) });
      await knex(tables.tickets).where({ number: tenDays.number }).update({ created_at: toDbTime(Date.now() - 10 * 86_400_000) });

      const author = await agentActor(dash);
      const approver = await agentActor(dash);
      const category = await createFaqCategory(dash, dashAdmin);
      articleTitle = `Reset your password <b>${unique('now')}</b>`;
      const article = await createArticle(dash, author, { category, title: articleTitle, visibility: 'public' }, approver);
      const quiet = await createArticle(dash, author, { category, title: 'Printer queue', visibility: 'public' }, approver);
      for (let i = 0; i < 3; i += 1) await deflections.record(customer, article.id, 'opened', 'password');
      for (let i = 0; i < 2; i += 1) await deflections.record(customer, article.id, 'answered', 'password');
      await deflections.record(null, quiet.id, 'opened', 'printer');
    });
    after(async () => {
      await dash.close();
    });

    it('shows open tickets per queue, tickets against deflections per day and the top articles, with tables', async () => {
      const session = await signIn(dash, await dash.createAgent('admin'));
      const page = await session.agent.get('/agent/dashboard').expect(200);

      const queues = tableRows(page.text, 'dash-queues-table');
      expect(rowOf(queues, first.queue)).to.deep.equal([first.queue, first.group, '2', '0', '1', '3']);
      expect(rowOf(queues, second.queue)).to.deep.equal([second.queue, second.group, '3', '0', '0', '3']);

      const days = tableRows(page.text, 'dash-days-table');
      expect(days).to.have.length(31);
      expect(days[30]).to.deep.equal(['Total', '6', '2']);
      expect(days.slice(0, 30).filter((d) => d[1] !== '0' || d[2] !== '0').length).to.be.within(2, 3);
      expect(days.slice(0, 30).reduce((sum, d) => sum + Number(d[1]), 0)).to.equal(6);
      const tenDaysBack = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      expect(page.text).to.match(new RegExp(`<time datetime="${tenDaysBack}">[^<]*</time></th>\\s*<td>1</td>`));

      expect(text(/<strong id="dash-rate">([\s\S]*?)<\/strong>/.exec(page.text)![1]!)).to.equal('25%');

      const articles = tableRows(page.text, 'dash-articles-table');
      expect(articles[0]).to.deep.equal([articleTitle, '3', '2', '']);
      expect(articles[1]).to.deep.equal(['Printer queue', '1', '0', '']);
      expect(page.text).to.contain('&lt;b&gt;');
      expect(page.text).to.match(/<a href="\/faq\/manage\/\d+">Reset your password/);

      for (const id of ['dash-queues-chart', 'dash-days-chart']) {
        expect(page.text).to.match(new RegExp(`<svg id="${id}"[^>]*role="img"[^>]*aria-labelledby="${id}-title" aria-describedby="${id}-desc"`));
        expect(page.text).to.contain(`<title id="${id}-title">`).and.contain(`<desc id="${id}-desc">`);
      }
      expect(page.text).to.contain('<summary>Show as table</summary>');
    });

    it('counts only the queues an agent may see, and nothing for an agent without ro', async () => {
      const account = await agentIn(dash, dashAdmin, first.group, ['ro']);
      const session = await signIn(dash, account);
      const page = await session.agent.get('/agent/dashboard').expect(200);
      const queues = tableRows(page.text, 'dash-queues-table');
      expect(queues.map((r) => r[0])).to.deep.equal([first.queue]);
      expect(page.text).not.to.contain(second.queue);
      expect(rowOf(tableRows(page.text, 'dash-days-table'), 'Total')).to.deep.equal(['Total', '4', '2']);

      const outsider = await signIn(dash, await dash.createAgent('agent'));
      const empty = await outsider.agent.get('/agent/dashboard').expect(200);
      expect(empty.text).to.contain('You see no queues.');
      expect(empty.text).not.to.contain(first.queue).and.not.to.contain(second.queue);
      expect(rowOf(tableRows(empty.text, 'dash-days-table'), 'Total')).to.deep.equal(['Total', '0', '2']);
    });

    it('is for staff only: customers get 403, visitors the login page', async () => {
      const user = await customerIn(dash, dashAdmin, first.group, ['rw']);
      const session = await signIn(dash, user);
      await session.agent.get('/agent/dashboard').expect(403);
      const visitor = await request(dash.url).get('/agent/dashboard');
      expect(visitor.status).to.equal(303);
    });

    it('speaks Dutch and Norwegian', async () => {
      for (const [language, heading] of [['nl', 'Openstaande tickets per wachtrij'], ['nb', 'Åpne saker per kø']] as const) {
        const session = await signIn(dash, await dash.createAgent('admin'));
        const page = await session.agent.get('/agent/dashboard').set('Accept-Language', language).expect(200);
        expect(page.text).to.contain(heading);
      }
    });
  });
});
