import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { LoketError } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { Customer } from '../schema.js';
import { VALIDITIES } from '../schema.js';
import { customerForm, customerFormOf, customerFormProblem, customerPatchOf, emptyCustomerForm, newCustomerInput, type CustomerForm } from './customer-form.js';
import type { CustomerScreenDeps } from './deps.js';
import { describeRefusal, formRefusal, translatorOf, type FormProblem } from './form-errors.js';
import { formText, noticeFrom, withNotice } from './form-values.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const listQuery = z.object({
  search: z.preprocess(blankToUndefined, formText(200).optional()),
  validity: z.preprocess(blankToUndefined, z.enum(VALIDITIES).optional()),
});
const customerIdParam = z.string().min(1).max(200);
const loginParam = z.string().min(1).max(191);
const linkForm = z.object({ login: formText(191).default('') });

const customerPath = (res: Response, customerId: string) => `${loketBase(res)}/customers/${encodeURIComponent(customerId)}`;

interface DetailState {
  form?: CustomerForm;
  problem?: FormProblem | null;
  status?: number;
  linkLogin?: string;
}

/** Customers (companies): list and create, and one customer's page with its users (customer → users). */
export function customerPages(deps: CustomerScreenDeps): Router {
  const router = Router();
  router.use('/customers', pageRequires('customer.read'));
  const limit = () => deps.config.customerUsers.searchLimit;
  // The services decide too; guarding first means a refused person never sees a form error instead of 403.
  const manageCustomers = pageRequires('customer.manage');
  const manageUsers = pageRequires('customer-user.manage');

  async function renderList(req: Request, res: Response, form: CustomerForm, problem: FormProblem | null, status = 200) {
    const query = parseInput(listQuery, req.query);
    const page = await deps.customers.list(currentActor(req), { ...query, limit: limit(), offset: 0 });
    res.status(status).render('customers/list', {
      customers: page.items,
      shown: page.items.length,
      total: page.total,
      query: { search: query.search ?? '', validity: query.validity ?? '' },
      validities: VALIDITIES,
      form,
      problem,
      notice: noticeFrom(req, translatorOf(res)),
    });
  }

  async function renderDetail(req: Request, res: Response, actor: Actor, customer: Customer, state: DetailState = {}) {
    const users = await deps.customerUsers.search(actor, { customerId: customer.customerId, limit: limit(), offset: 0 });
    res.status(state.status ?? 200).render('customers/detail', {
      customer,
      form: state.form ?? customerFormOf(customer),
      problem: state.problem ?? null,
      linkLogin: state.linkLogin ?? '',
      users: users.items.map((u) => ({
        login: u.login,
        name: [u.fields.firstName, u.fields.lastName].filter((v) => v !== null && v !== undefined && v !== '').join(' '),
        email: u.email,
        primary: u.customerId === customer.customerId,
        validity: u.validity,
      })),
      shown: users.items.length,
      total: users.capped ? translatorOf(res)('customerUsersPage.moreThan', { total: users.total }) : users.total,
      validities: VALIDITIES,
      notice: state.status ? null : noticeFrom(req, translatorOf(res)),
    });
  }

  router.get('/customers', async (req, res) => {
    await renderList(req, res, emptyCustomerForm(), null);
  });

  router.post('/customers', manageCustomers, async (req, res) => {
    const actor = currentActor(req);
    let form = emptyCustomerForm();
    try {
      form = parseInput(customerForm, req.body);
      const created = await deps.customers.create(actor, newCustomerInput(form), auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withNotice(customerPath(res, created.customerId), 'created'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderList(req, res, form, customerFormProblem(refusal, form, translatorOf(res)), refusal.status);
    }
  });

  router.get('/customers/:customerId', async (req, res) => {
    const actor = currentActor(req);
    await renderDetail(req, res, actor, await deps.customers.get(actor, parseInput(customerIdParam, req.params.customerId)));
  });

  router.post('/customers/:customerId', manageCustomers, async (req, res) => {
    const actor = currentActor(req);
    const customer = await deps.customers.get(actor, parseInput(customerIdParam, req.params.customerId));
    let form = customerFormOf(customer);
    try {
      form = { ...parseInput(customerForm, req.body), customerId: customer.customerId };
      await deps.customers.update(actor, customer.customerId, customerPatchOf(form), auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withNotice(customerPath(res, customer.customerId), 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await renderDetail(req, res, actor, customer, { form, problem: customerFormProblem(refusal, form, translatorOf(res)), status: refusal.status });
    }
  });

  // The customer → users direction: add an existing user to this customer as an extra customer.
  router.post('/customers/:customerId/users', manageUsers, async (req, res) => {
    const actor = currentActor(req);
    const customer = await deps.customers.get(actor, parseInput(customerIdParam, req.params.customerId));
    const { login } = parseInput(linkForm, req.body);
    const t = translatorOf(res);
    const refuse = (status: number, message: string) =>
      renderDetail(req, res, actor, customer, { status, linkLogin: login, problem: { field: 'linkLogin', target: 'link-login', message } });
    if (login.trim() === '') {
      await refuse(400, t('formErrors.required', { label: t('customersPage.linkLogin') }));
      return;
    }
    try {
      await deps.customerUsers.linkToCustomer(actor, login, customer.customerId, true, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withNotice(customerPath(res, customer.customerId), 'linked'));
    } catch (err) {
      // An unknown login is a typo in this form, not a missing page.
      if (err instanceof LoketError && err.status === 404) await refuse(404, t('customersPage.unknownLogin'));
      else {
        const refusal = formRefusal(err);
        if (!refusal) throw err;
        await refuse(refusal.status, describeRefusal(refusal, t, () => null));
      }
    }
  });

  router.post('/customers/:customerId/users/:login/unlink', manageUsers, async (req, res) => {
    const actor = currentActor(req);
    const customer = await deps.customers.get(actor, parseInput(customerIdParam, req.params.customerId));
    const login = parseInput(loginParam, req.params.login);
    await deps.customerUsers.linkToCustomer(actor, login, customer.customerId, false, auditSubjectOf(actor, req.ip ?? null));
    res.redirect(303, withNotice(customerPath(res, customer.customerId), 'unlinked'));
  });

  return router;
}
