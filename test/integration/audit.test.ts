import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('audit log', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('chains entries so that the chain verifies, also under concurrent appends', async () => {
    const { audit } = app.loket.container.services;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => audit.record(cliSubject(), { action: 'test.append', objectType: 'test', objectId: i, after: { i } })),
    );
    const result = await audit.verify();
    expect(result.ok).to.equal(true);
    expect(result.checked).to.be.at.least(12);
  });

  it('shows tampering: a changed entry breaks the chain at that entry', async () => {
    const { audit } = app.loket.container.services;
    const entry = await audit.record(cliSubject(), { action: 'test.tamper', objectType: 'test', objectId: 'victim', after: { amount: 10 } });
    await audit.record(cliSubject(), { action: 'test.after', objectType: 'test', objectId: 'later' });
    expect((await audit.verify()).ok).to.equal(true);
    const { knex, tables } = app.loket.container;
    await knex(tables.audit_log).where({ id: entry.id }).update({ after_json: JSON.stringify({ amount: 1000 }) });
    const broken = await audit.verify();
    expect(broken).to.deep.include({ ok: false, brokenAt: entry.id });
  });

  it('is readable by admins only', async () => {
    const { audit, actors } = app.loket.container.services;
    const agent = await app.createAgent('agent');
    const actor = await actors.resolve({ type: 'agent', id: agent.id }, 'session');
    try {
      await audit.list(actor!, { limit: 10 });
      expect.fail('an agent read the audit log');
    } catch (err) {
      expect(err).to.have.property('status', 403);
    }
  });
});
