import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { toDbTime } from '../../plugin/db/values.js';
import { RECOVER_AFTER_MS, RECOVERY_MARK } from '../../plugin/forms/runs-service.js';
import type { FormRun } from '../../plugin/forms/types.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { customerActor, formInput, formsWorld, saveForm, type FormsWorld } from '../helpers/forms.js';

/**
 * A run whose process died mid-execution stays 'running' (its transaction rolled back). The sweep takes
 * it over after the grace period and carries it out again, once, through the usual checks.
 */
describe('forms engine: recovery of interrupted runs', function () {
  let app: TestApp;
  let w: FormsWorld;
  let keyUser2: TestCustomerUser;
  let group: string;

  before(async function () {
    app = await startTestApp();
    w = await formsWorld(app, await adminActor(app));
    keyUser2 = await createCustomerUser(app, w.admin, { customerId: w.c, keyUserOf: [w.c] });
    group = unique('grp');
    await services().groups.create(w.admin, { name: group }, cliSubject());
  });
  after(async () => app?.close());

  const services = () => app.loket.container.services;
  const db = () => app.loket.container;

  /**
   * A run as a crash leaves it: approved (or not), moved to 'running', and last written `ageMs` ago. The
   * form grants rw in the test group to the target, after a key user's approval.
   */
  async function strandedRun(opts: { approved: boolean; ageMs?: number }): Promise<{ run: FormRun; target: TestCustomerUser }> {
    const input = formInput({
      queue: w.queue,
      actions: [{ type: 'grant-group', input: { group, permission: 'rw' } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
    });
    await saveForm(app, w.admin, input);
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const { run } = await services().formRuns.submit(await customerActor(app, w.keyUser), input.key, { target: target.login, values: {} }, null, cliSubject());
    expect(run.state).to.equal('awaiting-approval');
    const { knex, tables } = db();
    if (opts.approved) await knex(tables.form_approvals).where({ run_id: run.id }).update({ state: 'approved', decided_at: toDbTime(), decided_by: keyUser2.login });
    await knex(tables.form_runs).where({ id: run.id }).update({ state: 'running', updated_at: toDbTime(Date.now() - (opts.ageMs ?? RECOVER_AFTER_MS + 60_000)) });
    return { run, target };
  }

  const state = async (id: number) => (await services().formRuns.get(w.admin, id)).state;

  async function ticketBodies(run: FormRun): Promise<string[]> {
    const { knex, tables } = db();
    const rows: unknown[] = await knex(`${tables.ticket_messages} as m`).join(`${tables.tickets} as t`, 't.id', 'm.ticket_id').where('t.number', run.ticketNumber).orderBy('m.id').select('m.body');
    return rows.map((r) => String((r as { body: unknown }).body));
  }

  async function grants(target: TestCustomerUser): Promise<number> {
    const { knex, tables } = db();
    const g = await knex<{ id: number; name: string }>(tables.groups).where({ name: group }).first('id');
    return ((await knex(tables.customer_user_groups).where({ customer_user_id: target.id, group_id: g!.id, permission: 'rw' })) as unknown[]).length;
  }

  async function auditCount(runId: number, action: string): Promise<number> {
    const { knex, tables } = db();
    return ((await knex(tables.audit_log).where({ object_type: 'form-run', object_id: String(runId), action })) as unknown[]).length;
  }

  it('carries out an approved run left running by a dead process, once, and says so on the ticket', async function () {
    const { run, target } = await strandedRun({ approved: true });
    expect(await grants(target)).to.equal(0);
    expect((await services().formRuns.sweep()).recovered).to.be.at.least(1);
    expect(await state(run.id)).to.equal('completed');
    expect(await grants(target)).to.equal(1);
    const bodies = await ticketBodies(run);
    expect(bodies.filter((b) => b.startsWith('Interrupted before it finished'))).to.have.length(1);
    expect(bodies.filter((b) => b.startsWith('Carried out'))).to.have.length(1);
    expect(await auditCount(run.id, 'run.recover')).to.equal(1);
    expect(await auditCount(run.id, 'run.execute')).to.equal(1);
    expect((await services().formRuns.get(w.admin, run.id)).error).to.equal(null);
    // Done is done: another sweep leaves it alone.
    await services().formRuns.sweep();
    expect(await auditCount(run.id, 'run.recover')).to.equal(1);
  });

  it('two sweeps at once (two processes) execute the run once: one ticket line, one grant', async function () {
    const { run, target } = await strandedRun({ approved: true });
    await Promise.all([services().formRuns.sweep(), services().formRuns.sweep(), services().formRuns.sweep()]);
    expect(await state(run.id)).to.equal('completed');
    expect(await grants(target)).to.equal(1);
    const bodies = await ticketBodies(run);
    expect(bodies.filter((b) => b.startsWith('Interrupted before it finished'))).to.have.length(1);
    expect(bodies.filter((b) => b.startsWith('Carried out'))).to.have.length(1);
    expect(bodies.filter((b) => b.startsWith('Failed'))).to.have.length(0);
    expect(await auditCount(run.id, 'run.recover')).to.equal(1);
    expect(await auditCount(run.id, 'run.execute')).to.equal(1);
  });

  it('leaves a run alone within the grace period', async function () {
    const { run, target } = await strandedRun({ approved: true, ageMs: 60_000 });
    await services().formRuns.sweep();
    expect(await state(run.id)).to.equal('running');
    expect(await grants(target)).to.equal(0);
    expect(await auditCount(run.id, 'run.recover')).to.equal(0);
  });

  it('checks the approvals again: a run without its approval fails and grants nothing', async function () {
    const { run, target } = await strandedRun({ approved: false });
    await services().formRuns.sweep();
    expect(await state(run.id)).to.equal('failed');
    expect(await grants(target)).to.equal(0);
    expect((await ticketBodies(run)).some((b) => b.startsWith('Not carried out: The run is not approved.'))).to.equal(true);
  });

  it('checks the payload hash again: values changed behind the approval fail the run', async function () {
    const { run, target } = await strandedRun({ approved: true });
    const { knex, tables } = db();
    await knex(tables.form_runs).where({ id: run.id }).update({ values_json: JSON.stringify({ extra: 'changed' }) });
    await services().formRuns.sweep();
    expect(await state(run.id)).to.equal('failed');
    expect(await grants(target)).to.equal(0);
  });

  it('a run interrupted again after its recovery fails instead of being carried out a third time', async function () {
    const { run, target } = await strandedRun({ approved: true });
    const { knex, tables } = db();
    await knex(tables.form_runs).where({ id: run.id }).update({ error: RECOVERY_MARK });
    await services().formRuns.sweep();
    const after = await services().formRuns.get(w.admin, run.id);
    expect(after.state).to.equal('failed');
    expect(after.error).to.match(/Interrupted twice/);
    expect(await grants(target)).to.equal(0);
    expect(await auditCount(run.id, 'run.execute')).to.equal(0);
    expect((await ticketBodies(run)).some((b) => b.startsWith('Failed: Interrupted twice'))).to.equal(true);
  });
});
