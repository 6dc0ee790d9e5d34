import { expect } from 'chai';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, startMailingTestApp, type Agent, type TestApp } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { actorOf, delegationWorld, grantDelegation, type DelegationWorld } from '../helpers/delegation.js';
import type { TestSmtp } from '../helpers/smtp.js';
import { attr, byId, elementsOf, textById, textOf, type Element } from '../helpers/html.js';
import { createQueue } from '../helpers/tickets.js';

const optionsOf = (html: string, id: string): { value: string; text: string; selected: boolean }[] =>
  byId(html, id)!.childNodes.filter((n): n is Element => 'tagName' in n && n.tagName === 'option').map((o) => ({ value: attr(o, 'value') ?? '', text: textOf(o).trim(), selected: attr(o, 'selected') !== undefined }));

const today = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('delegation pages: switcher, banner, notices, delegations, my delegations, deputies', function () {
  this.timeout(60000);
  let app: TestApp;
  let smtp: TestSmtp;
  let w: DelegationWorld;
  const services = () => app.loket.container.services;

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    w = await delegationWorld(app);
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** A fresh consultant of D (so every test has its own delegations). */
  const newConsultant = () => createCustomerUser(app, w.admin, { customerId: w.d });

  async function page(agent: Agent, path: string, status = 200): Promise<string> {
    const res = await agent.get(path);
    expect(res.status, `${path}: ${res.text.slice(0, 300)}`).to.equal(status);
    return res.text;
  }

  /** Posts the switch form like the top bar does; the session id changes, so the next page's token is fetched. */
  async function switchTo(agent: Agent, customerId: string, returnTo = '/portal'): Promise<string> {
    const csrf = csrfFrom(await page(agent, '/faq'));
    const res = await agent.post('/organisation').type('form').send({ _csrf: csrf, customerId, returnTo });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    return res.headers.location!;
  }

  const revokeAsKeyUser = async (id: number) => {
    const keyUser = await actorOf(app, w.keyUserC);
    await services().delegations.revoke(keyUser, id, auditSubjectOf(keyUser));
  };

  it('shows the switcher only with an active delegation, own organisation first', async () => {
    const consultant = await newConsultant();
    const { agent } = await signIn(app, consultant);
    expect(byId(await page(agent, '/portal'), 'organisation-switcher'), 'no delegation, no switcher').to.equal(undefined);
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email });
    const html = await page(agent, '/portal');
    expect(byId(html, 'organisation-switcher')).not.to.equal(undefined);
    const options = optionsOf(html, 'organisation-select');
    expect(options.map((o) => o.value)).to.deep.equal([w.d, w.c]);
    expect(options[0]!.text).to.contain('(own)');
    expect(options[0]!.selected).to.equal(true);
    expect(attr(byId(html, 'organisation-switcher')!, 'action')).to.equal('/organisation');
    expect(html).to.contain(`href="/portal/my-delegations"`);

    await revokeAsKeyUser(d.id);
    expect(byId(await page(agent, '/portal'), 'organisation-switcher'), 'revoked: no switcher').to.equal(undefined);
  });

  it('switching shows the notice once, the banner on every page, and the way back home', async () => {
    const consultant = await newConsultant();
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email });
    const { agent } = await signIn(app, consultant);
    expect(await switchTo(agent, w.c, '/portal/tickets')).to.equal('/portal/tickets');

    const first = await page(agent, '/portal/tickets');
    expect(textById(first, 'organisation-notice')).to.equal(`You now work in Customer ${w.c}.`);
    expect(textById(first, 'delegation-banner-text')).to.match(new RegExp(`^You are working in Customer ${w.c} via delegation until \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\.$`));
    expect(attr(byId(first, 'organisation-notice')!, 'aria-live')).to.equal('polite');
    expect(optionsOf(first, 'organisation-select').find((o) => o.selected)?.value, 'the switcher shows where one works').to.equal(w.c);

    for (const path of ['/portal', '/faq', '/portal/tickets', '/portal/my-delegations']) {
      const html = await page(agent, path);
      expect(byId(html, 'organisation-notice'), `${path}: the notice is shown once`).to.equal(undefined);
      expect(textById(html, 'delegation-banner-text'), `${path}: banner`).to.contain(`Customer ${w.c}`);
      expect(textById(html, 'delegation-back')).to.equal(`Back to Customer ${w.d}`);
    }
    expect(textById(await page(agent, '/portal/my-delegations'), 'dm-list')).to.contain('You work here now');

    const back = byId(await page(agent, '/portal'), 'delegation-back')!;
    expect(attr(back, 'type')).to.equal('submit');
    expect(await switchTo(agent, w.d)).to.equal('/portal');
    const home = await page(agent, '/portal');
    expect(textById(home, 'organisation-notice')).to.equal('You are back in your own organisation.');
    expect(byId(home, 'delegation-banner')).to.equal(undefined);
    const me = (await agent.get('/api/v1/me').expect(200)).body as { effectiveCustomerId: string };
    expect(me.effectiveCustomerId).to.equal(w.d);
  });

  it('an open-ended delegation says so in the banner; a redirect does not swallow the notice', async () => {
    const consultant = await newConsultant();
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email, endsAt: null });
    const { agent } = await signIn(app, consultant);
    // Back to "/", which redirects: the notice waits for the page that shows it.
    expect(await switchTo(agent, w.c, '/')).to.equal('/');
    expect((await agent.get('/').expect(303)).headers.location).to.equal('/portal');
    const html = await page(agent, '/portal');
    expect(textById(html, 'organisation-notice')).to.equal(`You now work in Customer ${w.c}.`);
    expect(textById(html, 'delegation-banner-text')).to.equal(`You are working in Customer ${w.c} via delegation with no end date.`);
  });

  it('after revocation the next page shows the ended notice once and no banner', async () => {
    const consultant = await newConsultant();
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email });
    const { agent } = await signIn(app, consultant);
    await switchTo(agent, w.c);
    expect(byId(await page(agent, '/portal'), 'delegation-banner')).not.to.equal(undefined);
    await revokeAsKeyUser(d.id);
    const next = await page(agent, '/portal');
    expect(textById(next, 'organisation-notice')).to.equal(`Your delegation in Customer ${w.c} has ended (revoked); you are back in your own organisation.`);
    expect(byId(next, 'delegation-banner')).to.equal(undefined);
    expect(byId(next, 'organisation-switcher'), 'nothing left to switch to').to.equal(undefined);
    const again = await page(agent, '/faq');
    expect(byId(again, 'organisation-notice')).to.equal(undefined);
  });

  it('refuses a switch without a CSRF token (403) and changes nothing', async () => {
    const consultant = await newConsultant();
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email });
    const { agent } = await signIn(app, consultant);
    await agent.post('/organisation').type('form').send({ customerId: w.c, returnTo: '/portal' }).expect(403);
    expect(byId(await page(agent, '/portal'), 'delegation-banner')).to.equal(undefined);
  });

  it('a key user grants through the form (a mail arrives), extends to open-ended, confirms and revokes; markup stays text', async () => {
    const consultant = await newConsultant();
    const { agent } = await signIn(app, w.keyUserC);
    const blank = await page(agent, '/portal/delegations');
    expect(textById(blank, 'dl-grant-heading')).to.equal('Grant a delegation');
    expect(attr(byId(blank, 'dl-ends')!, 'value')).to.equal(today(7));
    expect(blank).to.contain('href="/portal/delegations" aria-current="page"');
    const csrf = csrfFrom(blank);

    // Refused input comes back with a summary and the values kept.
    const refused = await agent.post('/portal/delegations').type('form').send({ _csrf: csrf, customerId: w.c, email: consultant.email, role: 'customer', endsAt: today(7), reason: '' });
    expect(refused.status).to.equal(400);
    expect(textById(refused.text, 'error-summary-title')).to.equal('There is a problem');
    expect(attr(byId(refused.text, 'dl-email')!, 'value')).to.equal(consultant.email);
    expect(attr(byId(refused.text, 'dl-reason')!, 'aria-invalid')).to.equal('true');
    const noEnd = await agent.post('/portal/delegations').type('form').send({ _csrf: csrf, customerId: w.c, email: consultant.email, role: 'customer', endsAt: '', reason: 'x' });
    expect(noEnd.status).to.equal(400);
    expect(textById(noEnd.text, 'dl-ends-error')).to.equal('Give an end date, or choose “no end date”.');
    const member = await agent.post('/portal/delegations').type('form').send({ _csrf: csrf, customerId: w.c, email: w.userC.email, role: 'customer', endsAt: today(7), reason: 'x' });
    expect(member.status).to.equal(422);
    expect(textById(member.text, 'dl-email-error')).to.contain('belongs to a member');

    const seen = smtp.messages.length;
    const reason = '<script>alert(1)</script> needs <b>access</b>';
    const granted = await agent.post('/portal/delegations').type('form').send({ _csrf: csrf, customerId: w.c, email: consultant.email, role: 'key-user', endsAt: today(7), reason });
    expect(granted.status, granted.text.slice(0, 300)).to.equal(303);
    expect(granted.headers.location).to.equal(`/portal/delegations?customerId=${encodeURIComponent(w.c)}&notice=granted`);
    const invitation = await smtp.next(seen);
    expect(JSON.stringify(invitation.to)).to.contain(consultant.email);
    const [d] = (await services().delegations.mine(await actorOf(app, consultant))).filter((x) => x.customerId === w.c);
    expect(d!.endsAt).to.equal(`${today(7)}T23:59:59.999Z`);
    expect(d!.role).to.equal('key-user');

    const listed = await page(agent, granted.headers.location!);
    expect(listed).not.to.contain('<script>alert(1)');
    expect(listed).not.to.contain('<b>access</b>');
    expect(listed).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(textById(listed, `dl-${d!.id}-heading`)).to.equal(consultant.email);
    expect(textById(listed, `dl-${d!.id}-status`)).to.equal('active');
    expect(textById(listed, 'dl-usage')).to.contain(consultant.email);
    expect(elementsOf(listed).some((e) => e.tagName === 'p' && attr(e, 'role') === 'status' && textOf(e).includes('granted'))).to.equal(true);

    const extended = await agent.post(`/portal/delegations/${d!.id}/extend`).type('form').send({ _csrf: csrf, endsAt: '', openEnded: 'yes', version: String(d!.version) });
    expect(extended.status, extended.text.slice(0, 300)).to.equal(303);
    const open = await page(agent, extended.headers.location!);
    expect(textById(open, `dl-${d!.id}-period`)).to.contain('no end date');
    expect(byId(open, `dl-review-${d!.id}`), 'open-ended: "still needed"').not.to.equal(undefined);
    const stale = await agent.post(`/portal/delegations/${d!.id}/extend`).type('form').send({ _csrf: csrf, endsAt: today(3), version: String(d!.version) });
    expect(stale.status).to.equal(409);
    expect(textById(stale.text, `dl-extend-${d!.id}-error`)).to.contain('changed meanwhile');

    const reviewed = await agent.post(`/portal/delegations/${d!.id}/review`).type('form').send({ _csrf: csrf });
    expect(reviewed.status).to.equal(303);
    expect(reviewed.headers.location).to.contain('notice=reviewed');

    const unconfirmed = await agent.post(`/portal/delegations/${d!.id}/revoke`).type('form').send({ _csrf: csrf });
    expect(unconfirmed.status).to.equal(400);
    expect(textById(unconfirmed.text, `dl-revoke-${d!.id}-error`)).to.equal('Tick the box to confirm that you revoke this delegation.');
    expect((await services().delegations.get(await actorOf(app, w.keyUserC), d!.id)).status).to.equal('active');
    const revoked = await agent.post(`/portal/delegations/${d!.id}/revoke`).type('form').send({ _csrf: csrf, confirm: 'yes' });
    expect(revoked.status).to.equal(303);
    const after = await page(agent, revoked.headers.location!);
    expect(byId(after, `dl-${d!.id}`), 'no longer current').to.equal(undefined);
    expect(textById(after, `dl-history-${d!.id}`)).to.contain('revoked');
    expect(textById(after, `dl-history-${d!.id}`)).to.contain(`by ${w.keyUserC.login}`);
  });

  it('refuses the delegations page to a plain user and to a switched session (403), not to the same key user at home', async () => {
    const plain = await signIn(app, w.userC);
    const refused = await page(plain.agent, '/portal/delegations', 403);
    expect(refused).not.to.contain('dl-grant-form');
    expect(byId(await page(plain.agent, '/portal'), 'organisation-switcher')).to.equal(undefined);
    expect(await page(plain.agent, '/portal')).not.to.contain('href="/portal/delegations"');

    // A key user of D working in C as key user: managing C's (or D's) delegations needs the own session.
    const keyUserD = await createCustomerUser(app, w.admin, { customerId: w.d, keyUserOf: [w.d] });
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: keyUserD.email, role: 'key-user' });
    const { agent } = await signIn(app, keyUserD);
    expect(await page(agent, '/portal/delegations')).to.contain('dl-grant-form');
    await switchTo(agent, w.c);
    const switched = await page(agent, '/portal/delegations', 403);
    expect(switched).to.contain('switch back to your own organisation');
    expect(await page(agent, `/portal/delegations?customerId=${encodeURIComponent(w.d)}`, 403)).not.to.contain('dl-grant-form');
    const csrf = csrfFrom(switched);
    const grant = await agent.post('/portal/delegations').type('form').send({ _csrf: csrf, customerId: w.c, email: 'someone@example.test', role: 'customer', endsAt: today(7), reason: 'x' });
    expect(grant.status).to.equal(403);
    expect(await page(agent, '/portal')).not.to.contain('href="/portal/delegations"');
  });

  it('the deputies page names a deputy and revokes it; refusals keep the input', async () => {
    const { agent } = await signIn(app, w.keyUserC);
    const blank = await page(agent, '/portal/deputies');
    const csrf = csrfFrom(blank);
    expect(byId(blank, 'dp-principal'), 'key users may name one for a colleague').not.to.equal(undefined);

    const unknown = await agent.post('/portal/deputies').type('form').send({ _csrf: csrf, principal: '', deputy: 'nobody-here', startsAt: today(), endsAt: today(5), reason: 'holiday' });
    expect(unknown.status).to.equal(422);
    expect(textById(unknown.text, 'dp-deputy-error')).to.equal('There is no valid customer user with this login.');
    expect(attr(byId(unknown.text, 'dp-deputy')!, 'value')).to.equal('nobody-here');

    const created = await agent.post('/portal/deputies').type('form').send({ _csrf: csrf, principal: '', deputy: w.userC.login, startsAt: today(), endsAt: today(5), reason: 'holiday <i>x</i>' });
    expect(created.status, created.text.slice(0, 300)).to.equal(303);
    expect(created.headers.location).to.equal('/portal/deputies?notice=deputyCreated');
    const listed = await page(agent, created.headers.location!);
    const [dep] = await services().deputies.list(await actorOf(app, w.keyUserC), { customerId: w.c });
    expect(dep!.deputy.login).to.equal(w.userC.login);
    expect(textById(listed, `dp-${dep!.id}`)).to.contain('You');
    expect(textById(listed, `dp-${dep!.id}`)).to.contain('active');
    expect(listed).to.contain('holiday &lt;i&gt;x&lt;/i&gt;');

    // The deputy sees it too, and the nav leads there.
    const deputy = await signIn(app, w.userC);
    const theirs = await page(deputy.agent, '/portal');
    expect(theirs).to.contain('href="/portal/deputies"');
    expect(textById(await page(deputy.agent, '/portal/deputies'), `dp-${dep!.id}`)).to.contain('You');

    const revoked = await agent.post(`/portal/deputies/${dep!.id}/revoke`).type('form').send({ _csrf: csrf });
    expect(revoked.status).to.equal(303);
    expect(textById(await page(agent, '/portal/deputies'), `dp-${dep!.id}`)).to.contain('revoked');
  });

  it('a ticket filed while switched shows "(delegate)" to a key user of C', async () => {
    const { queue, group } = await createQueue(app, w.admin);
    for (const customerId of [w.c, w.d]) await services().assignments.setGroups(w.admin, { kind: 'customer', customerId }, { groups: [{ group, permissions: ['create', 'rw'] }] }, cliSubject());
    const consultant = await newConsultant();
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: consultant.email });
    const { agent } = await signIn(app, consultant);
    await switchTo(agent, w.c);
    const csrf = csrfFrom(await page(agent, '/portal'));
    const filed = await agent.post('/api/v1/tickets').set('X-CSRF-Token', csrf).send({ title: 'Printer on fire', body: 'Filed as a delegate.', queue });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const number = (filed.body as { number: string }).number;
    await agent.post(`/api/v1/tickets/${number}/messages`).set('X-CSRF-Token', csrf).send({ body: 'And a follow-up.' }).expect(201);
    expect(textById(await page(agent, '/portal/tickets'), 'tp-tickets'), 'the delegate\'s own list').to.contain('(delegate)');

    const keyUser = await signIn(app, w.keyUserC);
    const html = await page(keyUser.agent, `/portal/tickets/${number}`);
    expect(textById(html, 'tp-filed-by')).to.equal('Test Customer (delegate)');
    expect(textById(html, 'tp-messages')).to.contain('(delegate)');
  });
});
