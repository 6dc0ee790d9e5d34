import { passwordChangeThrottle } from '../../auth/login-throttle.js';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { validationError } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import { detailRows, type FieldMap, type FieldMapRow } from '../field-map.js';
import { renewSession } from '../renew-session.js';
import type { CustomerScreenDeps } from './deps.js';
import { describeRefusal, describeRelationField, formRefusal, translatorOf, type FormProblem } from './form-errors.js';
import { formText, noticeFrom, withNotice } from './form-values.js';
import { cellOf, describeMapField, fieldView, labelOf, textOf } from './map-fields.js';
import { describePasswordRefusal, passwordChangeForm, passwordFields, passwordMismatch, passwordNotices } from './password-change-form.js';

/** Identity fields: who the person is and where they belong is the admin's to change, not theirs. */
const IDENTITY = new Set(['login', 'email', 'customerId']);
const editable = (row: FieldMapRow) => !row.readOnly && !IDENTITY.has(row.key);

const profileForm = z.record(z.string(), formText());

interface ProfileState {
  values?: Record<string, string>;
  problem?: FormProblem | null;
  /** A refused password change: a separate form, so its fields never clash with map keys. */
  passwordProblem?: FormProblem | null;
  status?: number;
}

/** The customer user's own profile in the portal. */
export function profilePages(deps: CustomerScreenDeps): Router {
  const router = Router();
  router.use('/portal/profile', pageRequires('profile.own'));

  function render(req: Request, res: Response, user: CustomerUserRecord, map: FieldMap, state: ProfileState = {}) {
    const t = translatorOf(res);
    const rows = detailRows(map);
    const values = state.values ?? Object.fromEntries(rows.map((row) => [row.key, textOf(user.fields[row.key])]));
    const problem = state.problem ?? null;
    const passwordProblem = state.passwordProblem ?? null;
    res.status(state.status ?? 200).render('customers/profile', {
      fields: rows
        .filter(editable)
        .map((row) => fieldView(row, values[row.key] ?? '', { t, idPrefix: 'p', readOnly: false, own: true, error: problem?.field === row.key ? problem.message : null })),
      facts: rows.filter((row) => !editable(row)).map((row) => ({ label: labelOf(row, t), ...cellOf(row, user.fields) })),
      language: state.values?.language ?? user.language ?? '',
      languageError: problem?.field === 'language' ? problem.message : null,
      version: user.version,
      problem: problem ?? passwordProblem,
      // People whose directory keeps their password get no password section (FAQ "Change your password").
      password: deps.accounts.hasOwnPassword(user) ? { fields: passwordFields(t, passwordProblem) } : null,
      notice: state.status ? null : (noticeFrom(req, t) ?? passwordNotices.from(req, t)),
    });
  }

  /** Only customer users have a profile here; staff accounts are managed by admins. */
  async function ownRecord(actor: Actor): Promise<CustomerUserRecord> {
    return deps.customerUsers.get(actor, actor.login);
  }

  router.get('/portal/profile', async (req, res) => {
    const actor = currentActor(req);
    render(req, res, await ownRecord(actor), await deps.customerUsers.fieldMap());
  });

  router.post('/portal/profile', async (req, res) => {
    const actor = currentActor(req);
    const user = await ownRecord(actor);
    const map = await deps.customerUsers.fieldMap();
    const { _csrf: _token, version, language, ...fields } = parseInput(profileForm, req.body);
    if (version !== undefined && !/^\d{1,12}$/.test(version)) throw validationError('version: a number', 'version');
    // Everything else posted goes to the service as sent: a field a person may not change is its 403.
    const input: Record<string, unknown> = {
      ...fields,
      ...(language !== undefined && { language: language === '' ? null : language }),
      ...(version !== undefined && { version: Number(version) }),
    };
    try {
      await deps.customerUsers.updateOwnProfile(actor, input, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withNotice(`${loketBase(res)}/portal/profile`, 'saved'));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      const t = translatorOf(res);
      const field = refusal.field ?? null;
      const message = describeRefusal(refusal, t, (name) => {
        const row = map.find((r) => r.key === name);
        return row ? describeMapField(row, fields[name] ?? '', t) : describeRelationField(name, t);
      });
      const shownField = field !== null && (map.some((r) => r.key === field && editable(r)) || field === 'language') ? field : null;
      render(req, res, user, map, {
        values: { ...fields, ...(language !== undefined && { language }) },
        problem: { field: shownField, target: shownField === null ? null : `p-${shownField}`, message },
        status: refusal.status,
      });
    }
  });

  router.post('/portal/profile/password', passwordChangeThrottle(), async (req, res) => {
    const actor = currentActor(req);
    const input = parseInput(passwordChangeForm, req.body);
    const t = translatorOf(res);
    const refuse = async (passwordProblem: FormProblem, status: number) =>
      render(req, res, await ownRecord(actor), await deps.customerUsers.fieldMap(), { passwordProblem, status });
    if (input.password !== input.confirm) {
      await refuse(passwordMismatch(t), 400);
      return;
    }
    try {
      await deps.accounts.changeOwnPassword(actor, input.current, input.password, auditSubjectOf(actor, req.ip ?? null));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await refuse(describePasswordRefusal(refusal, t, input.password), refusal.status);
      return;
    }
    await renewSession(req, actor);
    res.redirect(303, passwordNotices.path(`${loketBase(res)}/portal/profile`, 'passwordChanged'));
  });

  return router;
}
