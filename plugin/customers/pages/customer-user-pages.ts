import { Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import { DB_BACKEND_KEY } from '../backends/db/backend.js';
import { shortViewRows } from '../field-map.js';
import { VALIDITIES } from '../schema.js';
import type { CustomerScreenDeps } from './deps.js';
import { formRefusal, translatorOf } from './form-errors.js';
import { formText, noticeFrom, withNotice } from './form-values.js';
import { cellOf, labelOf } from './map-fields.js';
import { sendSetPasswordLink } from './password-link.js';
import { emptyUserForm, parseUserForm, userFormOf, userFormProblem, userInput, type UserForm } from './user-form.js';
import { editMapOf, renderCreatePage, renderUserPage, userPath } from './user-page.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const searchForm = z.object({
  search: z.preprocess(blankToUndefined, formText(500).optional()),
  customerId: z.preprocess(blankToUndefined, formText(150).optional()),
  validity: z.preprocess(blankToUndefined, z.enum(VALIDITIES).optional()),
});

const loginParam = z.string().min(1).max(191);
const newUserQuery = z.object({ customerId: formText(150).optional() });

/** Customer users: search for everybody who may read them; create and edit for those who may manage them. */
export function customerUserPages(deps: CustomerScreenDeps): Router {
  const router = Router();
  const manage = pageRequires('customer-user.manage');
  router.use('/customer-users', pageRequires('customer-user.read'));

  router.get('/customer-users', async (req, res) => {
    const query = parseInput(searchForm, req.query);
    const limit = deps.config.customerUsers.searchLimit;
    const page = await deps.customerUsers.search(currentActor(req), { ...query, limit, offset: 0 });
    const map = await deps.customerUsers.fieldMap();
    const t = translatorOf(res);
    const rows = shortViewRows(map);
    // The login opens the user's page; without a login column, one is put first.
    const columns = rows.some((r) => r.key === 'login') ? rows : [...map.filter((r) => r.key === 'login'), ...rows];
    res.render('customers/users', {
      query: { search: query.search ?? '', customerId: query.customerId ?? '', validity: query.validity ?? '' },
      columns: columns.map((row) => ({ key: row.key, label: labelOf(row, t) })),
      users: page.items.map((user) => ({
        login: user.login,
        validity: user.validity,
        cells: columns.map((row) => ({ ...cellOf(row, user.fields), opens: row.key === 'login' })),
      })),
      shown: page.items.length,
      // "more than 1000" when the search stopped at the list limit: type more to narrow it.
      total: page.capped ? t('customerUsersPage.moreThan', { total: page.total }) : page.total,
      more: page.capped || page.items.length < page.total,
      validities: VALIDITIES,
      notice: noticeFrom(req, t),
    });
  });

  // `?customerId=` comes from a customer's page: the new user starts in that customer.
  router.get('/customer-users/new', manage, async (req, res) => {
    const { customerId } = parseInput(newUserQuery, req.query);
    const map = await deps.customerUsers.fieldMap();
    const form = emptyUserForm(map);
    if (customerId !== undefined) form.fields.customerId = customerId;
    renderCreatePage(res, map, form, null);
  });

  router.post('/customer-users', manage, async (req, res) => {
    const actor = currentActor(req);
    const map = await deps.customerUsers.fieldMap();
    let form: UserForm = emptyUserForm(map);
    try {
      form = parseUserForm(map, req.body);
      const created = await deps.customerUsers.create(actor, userInput(map, form, 'create'), auditSubjectOf(actor, req.ip ?? null));
      if (!created.generatedPassword) {
        res.redirect(303, withNotice(userPath(res, created.user.login), 'created'));
        return;
      }
      const link = await sendSetPasswordLink(deps, req, res, actor, created.user);
      // The generated password is rendered into this one response and stored nowhere in clear.
      res.status(201).render('customers/user-created', { user: created.user, generatedPassword: created.generatedPassword, link });
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      renderCreatePage(res, map, form, userFormProblem(refusal, map, form, 'create', translatorOf(res)), refusal.status);
    }
  });

  /** The name of a directory user's backend, for readers who may see the backends (admins). */
  async function directoryName(actor: Actor, user: CustomerUserRecord): Promise<string | null> {
    if (user.backend === DB_BACKEND_KEY || !can(actor, 'field-map.manage')) return null;
    return (await deps.backends.list(actor)).find((b) => b.key === user.backend)?.settings?.name ?? null;
  }

  router.get('/customer-users/:login', async (req, res) => {
    const actor = currentActor(req);
    const user = await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login));
    const map = await deps.customerUsers.recordMap(user.backend);
    renderUserPage(res, actor, user, map, { notice: noticeFrom(req, translatorOf(res)), directoryName: await directoryName(actor, user) });
  });

  router.post('/customer-users/:login', manage, async (req, res) => {
    const actor = currentActor(req);
    const user = await deps.customerUsers.get(actor, parseInput(loginParam, req.params.login));
    const map = await deps.customerUsers.recordMap(user.backend);
    // A directory user's fields are not in the form; what the form shows and sends follows editMapOf.
    const editMap = editMapOf(user, map);
    const stored = userFormOf(user, editMap);
    let form: UserForm | undefined;
    try {
      const parsed = parseUserForm(editMap, req.body);
      form = user.backend === DB_BACKEND_KEY ? parsed : { ...parsed, fields: stored.fields };
      const updated = await deps.customerUsers.update(actor, user.login, userInput(editMap, form, 'edit'), auditSubjectOf(actor, req.ip ?? null), form.version);
      res.redirect(303, withNotice(userPath(res, updated.login), 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      // A form that could not be read at all (a tampered field) is shown as stored rather than as sent.
      const shown = form ?? stored;
      const problem = userFormProblem(refusal, editMap, shown, 'edit', translatorOf(res));
      renderUserPage(res, actor, user, map, { status: refusal.status, form: shown, problem, directoryName: await directoryName(actor, user) });
    }
  });

  return router;
}
