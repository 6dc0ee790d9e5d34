import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { attr, byId, elementsOf, textOf, type Element } from '../helpers/html.js';
import { actorOf, agentIn, createQueue } from '../helpers/tickets.js';

const mainText = (html: string): string => textOf(elementsOf(html).find((e) => e.tagName === 'main')!).replace(/\s+/g, ' ');
/** The option values of a select on the page. */
const optionsOf = (html: string, id: string): string[] => {
  const select = byId(html, id);
  if (!select) throw new Error(`no #${id} on the page`);
  return select.childNodes.filter((n): n is Element => 'tagName' in n && n.tagName === 'option').map((o) => attr(o, 'value') ?? '');
};

describe('forms pages: admin editor, the form, runs, approvals, catalogues', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;
  let queue: string;
  let group: string;
  let customerA: string;
  let keyUser: TestCustomerUser;
  let colleague: TestCustomerUser;
  let manager: TestCustomerUser;
  let report: TestCustomerUser;
  let outsider: TestCustomerUser;
  let orgForm: string;
  let teamForm: string;
  let helpdeskForm: string;
  const services = () => app.loket.container.services;

  const label = (en: string) => ({ en });

  /** Key users act on their customer's users; a note and a colleague picked from their scope. */
  const orgDefinition = (key: string): FormDefinitionInput => ({
    key,
    title: label('Note about a user'),
    category: 'organisation',
    audience: ['key-user'],
    target: 'customer-user',
    fields: [
      { key: 'note', label: label('Note'), type: 'text', required: true, maxLength: 200 },
      { key: 'buddy', label: label('Buddy'), type: 'select', source: 'customer-users' },
    ],
    ticket: { queue },
  });

  /** Managers ask for their reports; a key user of the report's customer approves. */
  const teamDefinition = (key: string): FormDefinitionInput => ({
    key,
    title: label('Team request'),
    category: 'team',
    audience: ['manager'],
    target: 'customer-user',
    fields: [{ key: 'reason', label: label('Reason'), type: 'textarea', required: true }],
    approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }] }] },
    ticket: { queue },
  });

  const helpdeskDefinition = (key: string): FormDefinitionInput => ({
    key,
    title: label('Helpdesk note'),
    category: 'helpdesk',
    audience: ['agent'],
    agentGroups: [group],
    target: 'customer-user',
    fields: [{ key: 'note', label: label('Note'), type: 'text', required: true }],
    ticket: { queue },
  });

  before(async () => {
    app = await startTestApp();
    admin = await adminActor(app);
    ({ queue, group } = await createQueue(app, admin));
    customerA = unique('custa');
    keyUser = await createCustomerUser(app, admin, { customerId: customerA, keyUserOf: [customerA] });
    colleague = await createCustomerUser(app, admin, { customerId: customerA });
    manager = await createCustomerUser(app, admin, { customerId: customerA });
    report = await createCustomerUser(app, admin, { customerId: customerA, extra: { manager: manager.login } });
    outsider = await createCustomerUser(app, admin);
    for (const user of [keyUser, colleague, manager, report]) {
      await services().assignments.setGroups(admin, { kind: 'customer-user', login: user.login }, { groups: [{ group, permissions: ['create'] }] }, cliSubject());
    }
    orgForm = unique('org');
    teamForm = unique('team');
    helpdeskForm = unique('help');
    await services().forms.save(admin, orgForm, orgDefinition(orgForm), undefined, cliSubject());
    await services().forms.save(admin, teamForm, teamDefinition(teamForm), undefined, cliSubject());
    await services().forms.save(admin, helpdeskForm, helpdeskDefinition(helpdeskForm), undefined, cliSubject());
  });
  after(() => app.close());

  async function runsOf(account: { id: number }) {
    return (await services().formRuns.list(await actorOf(app, account, 'customer-user'), { scope: 'mine', limit: 100, offset: 0 })).items;
  }

  /** Fills and posts a form page as a browser would; answers the response. */
  async function submit(agent: Agent, key: string, fields: Record<string, string>, expected: number | null = null): Promise<request.Response> {
    const page = await agent.get(`/forms/${key}`).expect(200);
    const idempotencyKey = attr(byId(page.text, 'fr-key')!, 'value')!;
    const res = await agent.post(`/forms/${key}`).type('form').send({ _csrf: csrfFrom(page.text), idempotencyKey, ...fields });
    if (expected !== null) expect(res.status, res.text.includes("<main") ? mainText(res.text) : res.text.slice(0, 500)).to.equal(expected);
    return res;
  }

  /** The manager's team request for their report, awaiting the key user's approval. */
  async function pendingTeamRun(): Promise<{ runId: number; approvalId: number }> {
    const { agent } = await signIn(app, manager);
    const res = await submit(agent, teamForm, { target: report.login, 'field-reason': `Needs it ${unique('r')}` }, 303);
    const runId = Number(/\/runs\/(\d+)/.exec(res.headers.location!)![1]);
    const approval = (await services().formRuns.myApprovals(await actorOf(app, keyUser, 'customer-user'))).find((p) => p.run.id === runId);
    if (!approval) throw new Error('the key user has no approval for the run');
    return { runId, approvalId: approval.approval.id };
  }

  describe('admin', () => {
    it('lists every form for admins, and refuses others (403)', async () => {
      const staff = await app.createAgent('admin');
      const { agent } = await signIn(app, staff);
      const list = await agent.get('/admin/forms').expect(200);
      expect(mainText(list.text)).to.contain(orgForm).and.contain(teamForm).and.contain('Key users');
      const plain = await signIn(app, await app.createAgent('agent'));
      await plain.agent.get('/admin/forms').expect(403);
      await plain.agent.get(`/admin/forms/${orgForm}`).expect(403);
      const customer = await signIn(app, colleague);
      await customer.agent.get('/admin/forms').expect(403);
    });

    it('shows the editor with version, schema summary, preview and history; an invalid definition shows its path and keeps the text', async () => {
      const { agent } = await signIn(app, await app.createAgent('admin'));
      const page = await agent.get(`/admin/forms/${orgForm}`).expect(200);
      expect(byId(page.text, 'fe-definition')).to.exist;
      expect(textOf(byId(page.text, 'fe-schema')!)).to.contain('customer-users').and.contain('send-password-link').and.contain('manager-of-target');
      expect(byId(page.text, 'fe-preview')).to.exist;
      const version = attr(elementsOf(page.text).find((e) => attr(e, 'name') === 'version')!, 'value')!;
      const broken = JSON.stringify({ ...orgDefinition(orgForm), fields: [{ key: 'pick', label: label('Pick'), type: 'select' }] });
      const refused = await agent.post(`/admin/forms/${orgForm}`).type('form').send({ _csrf: csrfFrom(page.text), version, definition: broken }).expect(400);
      expect(mainText(refused.text)).to.contain('fields.0.source');
      expect(textOf(byId(refused.text, 'fe-definition')!)).to.equal(broken);
      const notJson = await agent.post(`/admin/forms/${orgForm}`).type('form').send({ _csrf: csrfFrom(page.text), version, definition: '{ "key": ' }).expect(400);
      expect(mainText(notJson.text)).to.contain('not valid JSON');
    });

    it('saves a new version; a save on a stale version is a 409 on the form', async () => {
      const key = unique('edit');
      await services().forms.save(admin, key, orgDefinition(key), undefined, cliSubject());
      const { agent } = await signIn(app, await app.createAgent('admin'));
      const page = await agent.get(`/admin/forms/${key}`).expect(200);
      const version = attr(elementsOf(page.text).find((e) => attr(e, 'name') === 'version')!, 'value')!;
      const changed = JSON.stringify({ ...orgDefinition(key), title: label('Renamed note') });
      await agent.post(`/admin/forms/${key}`).type('form').send({ _csrf: csrfFrom(page.text), version, definition: changed }).expect(303);
      const after = await agent.get(`/admin/forms/${key}`).expect(200);
      expect(textOf(byId(after.text, 'fe-version')!)).to.equal(String(Number(version) + 1));
      expect(mainText(after.text)).to.contain('Renamed note');
      const stale = await agent.post(`/admin/forms/${key}`).type('form').send({ _csrf: csrfFrom(page.text), version, definition: changed }).expect(409);
      expect(mainText(stale.text)).to.contain('Someone else saved this form');
    });

    it('creates a form from /admin/forms/new and toggles its validity', async () => {
      const { agent } = await signIn(app, await app.createAgent('admin'));
      const page = await agent.get('/admin/forms/new').expect(200);
      const key = unique('created');
      await agent.post('/admin/forms/new').type('form').send({ _csrf: csrfFrom(page.text), definition: JSON.stringify(orgDefinition(key)) }).expect(303);
      const editor = await agent.get(`/admin/forms/${key}`).expect(200);
      await agent.post(`/admin/forms/${key}/validity`).type('form').send({ _csrf: csrfFrom(editor.text), validity: 'invalid' }).expect(303);
      expect((await services().forms.get(admin, key)).validity).to.equal('invalid');
    });
  });

  describe('the form page', () => {
    it('offers only targets and choices in the requester\'s scope', async () => {
      const { agent } = await signIn(app, keyUser);
      const page = await agent.get(`/forms/${orgForm}`).expect(200);
      const targets = optionsOf(page.text, 'fr-target').join(' ');
      expect(targets).to.contain(colleague.login);
      expect(targets).not.to.contain(outsider.login);
      const buddies = optionsOf(page.text, 'fr-buddy').join(' ');
      expect(buddies).to.contain(colleague.login);
      expect(buddies).not.to.contain(outsider.login);
      const searched = await agent.get(`/forms/${orgForm}?targetSearch=${encodeURIComponent(colleague.login)}`).expect(200);
      expect(optionsOf(searched.text, 'fr-target').filter((v) => v !== '')).to.have.length(1);
    });

    it('a forged target (another customer\'s user) shows the 403 message and makes no run', async () => {
      const before = (await runsOf(keyUser)).length;
      const { agent } = await signIn(app, keyUser);
      const res = await submit(agent, orgForm, { target: outsider.login, 'field-note': 'forged' }, 403);
      expect(mainText(res.text)).to.contain('You may not use this form on that person or customer');
      expect(await runsOf(keyUser)).to.have.length(before);
    });

    it('shows a missing required field beside it (aria-describedby)', async () => {
      const { agent } = await signIn(app, keyUser);
      const res = await submit(agent, orgForm, { target: colleague.login, 'field-note': '' });
      expect(res.status).to.be.oneOf([400, 422]);
      expect(byId(res.text, 'error-summary-title')).to.exist;
    });

    it('a double submit with the same idempotency field makes one run, and 303s to it', async () => {
      const before = (await runsOf(keyUser)).length;
      const { agent } = await signIn(app, keyUser);
      const page = await agent.get(`/forms/${orgForm}`).expect(200);
      const body = { _csrf: csrfFrom(page.text), idempotencyKey: attr(byId(page.text, 'fr-key')!, 'value')!, target: colleague.login, 'field-note': 'twice' };
      const first = await agent.post(`/forms/${orgForm}`).type('form').send(body).expect(303);
      const second = await agent.post(`/forms/${orgForm}`).type('form').send(body).expect(303);
      expect(second.headers.location!.split('?')[0]).to.equal(first.headers.location!.split('?')[0]);
      expect(await runsOf(keyUser)).to.have.length(before + 1);
      const run = await agent.get(first.headers.location!).expect(200);
      expect(mainText(run.text)).to.contain('Note').and.contain('twice').and.contain(colleague.login);
    });
  });

  describe('runs and approvals', () => {
    it('shows a run to its requester and approver, 404 to another customer', async () => {
      const { runId, approvalId } = await pendingTeamRun();
      const requester = await signIn(app, manager);
      const page = await requester.agent.get(`/runs/${runId}`).expect(200);
      expect(textOf(byId(page.text, 'run-state')!)).to.equal('Awaiting approval');
      expect(byId(page.text, 'run-cancel')).to.exist;
      const approver = await signIn(app, keyUser);
      await approver.agent.get(`/runs/${runId}`).expect(200);
      await approver.agent.get(`/approvals/${approvalId}`).expect(200);
      const other = await signIn(app, outsider);
      await other.agent.get(`/runs/${runId}`).expect(404);
      await other.agent.get(`/approvals/${approvalId}`).expect(404);
    });

    it('sends an anonymous visitor of an approval link to the login with returnTo', async () => {
      const res = await request(app.url).get('/approvals/12345').expect(303);
      expect(res.headers.location).to.contain(`/login?returnTo=${encodeURIComponent('/approvals/12345')}`);
    });

    it('lists my approvals, approves with a comment, and the run completes', async () => {
      const { runId, approvalId } = await pendingTeamRun();
      const { agent } = await signIn(app, keyUser);
      const list = await agent.get('/approvals').expect(200);
      expect(elementsOf(list.text).some((e) => attr(e, 'href') === `/approvals/${approvalId}`)).to.equal(true);
      const page = await agent.get(`/approvals/${approvalId}`).expect(200);
      const hash = attr(byId(page.text, 'ap-hash')!, 'value')!;
      const res = await agent.post(`/approvals/${approvalId}`).type('form').send({ _csrf: csrfFrom(page.text), payloadHash: hash, decision: 'approve', comment: 'Fine by me' }).expect(303);
      expect(res.headers.location).to.contain(`/runs/${runId}`);
      const run = await services().formRuns.get(admin, runId);
      expect(run.state).to.equal('completed');
      expect(run.approvals.find((a) => a.id === approvalId)?.comment).to.equal('Fine by me');
    });

    it('refuses the requester deciding their own run, and shows payload_changed for a stale hash', async () => {
      const { runId, approvalId } = await pendingTeamRun();
      const requester = await signIn(app, manager);
      const own = await requester.agent.post(`/approvals/${approvalId}`).type('form').send({ _csrf: requester.csrf, decision: 'approve' });
      expect(own.status).to.be.oneOf([403, 404]);
      const approver = await signIn(app, keyUser);
      const page = await approver.agent.get(`/approvals/${approvalId}`).expect(200);
      const stale = await approver.agent.post(`/approvals/${approvalId}`).type('form').send({ _csrf: csrfFrom(page.text), payloadHash: 'a'.repeat(64), decision: 'approve' }).expect(409);
      expect(mainText(stale.text)).to.contain('The request changed after this page was shown');
      expect((await services().formRuns.get(admin, runId)).state).to.equal('awaiting-approval');
    });

    it('lets the requester withdraw a run awaiting approval', async () => {
      const { runId } = await pendingTeamRun();
      const { agent } = await signIn(app, manager);
      const page = await agent.get(`/runs/${runId}`).expect(200);
      await agent.post(`/runs/${runId}/cancel`).type('form').send({ _csrf: csrfFrom(page.text) }).expect(303);
      expect((await services().formRuns.get(admin, runId)).state).to.equal('cancelled');
    });
  });

  describe('catalogues and lists', () => {
    it('shows "My team" to managers with their reports, "Our organisation" to key users, 403 to others', async () => {
      const boss = await signIn(app, manager);
      const team = await boss.agent.get('/portal/team').expect(200);
      expect(mainText(team.text)).to.contain('Team request');
      expect(optionsOrLinks(team.text)).to.contain(`/forms/${teamForm}?target=${report.login}`);
      const key = await signIn(app, keyUser);
      const organisation = await key.agent.get('/portal/organisation').expect(200);
      expect(mainText(organisation.text)).to.contain('Note about a user');
      const plain = await signIn(app, colleague);
      await plain.agent.get('/portal/team').expect(403);
      await plain.agent.get('/portal/organisation').expect(403);
      await plain.agent.get(`/forms/${teamForm}`).expect(404);
    });

    it('shows the self-service catalogue with my requests, and the request state in my ticket list', async () => {
      const key = unique('self');
      await services().forms.save(
        admin,
        key,
        { key, title: label('Ask for a desk'), category: 'self-service', audience: ['customer'], target: 'self', fields: [{ key: 'room', label: label('Room'), type: 'text', required: true }], approval: { steps: [{ approvers: [{ kind: 'manager-of-requester' }] }] }, ticket: { queue } },
        undefined,
        cliSubject(),
      );
      const { agent } = await signIn(app, report);
      const catalogue = await agent.get('/portal/requests').expect(200);
      expect(elementsOf(catalogue.text).some((e) => attr(e, 'href') === `/forms/${key}`)).to.equal(true);
      const res = await submit(agent, key, { 'field-room': 'B 1.12' }, 303);
      const runId = Number(/\/runs\/(\d+)/.exec(res.headers.location!)![1]);
      const requests = await agent.get('/portal/requests').expect(200);
      expect(elementsOf(requests.text).some((e) => attr(e, 'href') === `/runs/${runId}`)).to.equal(true);
      expect(mainText(requests.text)).to.contain('Awaiting approval by');
      const tickets = await agent.get('/portal/tickets').expect(200);
      expect(elementsOf(tickets.text).some((e) => attr(e, 'href') === `/runs/${runId}`)).to.equal(true);
      expect(mainText(tickets.text)).to.contain('Awaiting approval by');
    });

    it('lists the helpdesk forms for agents of the form\'s groups', async () => {
      const agentAccount = await agentIn(app, admin, group, ['rw']);
      const { agent } = await signIn(app, agentAccount);
      const page = await agent.get('/agent/forms').expect(200);
      expect(mainText(page.text)).to.contain('Helpdesk note');
      const customer = await signIn(app, colleague);
      await customer.agent.get('/agent/forms').expect(403);
    });
  });
});

/** Every link on the page. */
function optionsOrLinks(html: string): string[] {
  return elementsOf(html).filter((e) => e.tagName === 'a').map((e) => attr(e, 'href') ?? '');
}
