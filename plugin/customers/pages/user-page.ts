import type { Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { loketBase } from '../../web/middleware/guards.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import { DB_BACKEND_KEY } from '../backends/db/backend.js';
import { detailRows, type FieldMap } from '../field-map.js';
import { VALIDITIES } from '../schema.js';
import { translatorOf, type FormProblem } from './form-errors.js';
import { cellOf, labelOf } from './map-fields.js';
import { userFormOf, userFormView, type UserForm } from './user-form.js';

export const userPath = (res: Response, login: string): string => `${loketBase(res)}/customer-users/${encodeURIComponent(login)}`;

export interface UserPageState {
  form?: UserForm;
  problem?: FormProblem | null;
  status?: number;
  notice?: string | null;
  /** What was typed into the anonymise confirmation, when that form was refused. */
  confirm?: string;
}

/**
 * One customer user: the edit form for those who may change them (and only for users Loket stores
 * itself), otherwise the read-only detail view of the map's shown fields.
 */
export function renderUserPage(res: Response, actor: Actor, user: CustomerUserRecord, map: FieldMap, state: UserPageState = {}): void {
  const t = translatorOf(res);
  res.status(state.status ?? 200);
  if (!can(actor, 'customer-user.manage') || user.backend !== DB_BACKEND_KEY) {
    res.render('customers/user-detail', {
      user,
      rows: detailRows(map).map((row) => ({ label: labelOf(row, t), ...cellOf(row, user.fields) })),
      notice: state.notice ?? null,
    });
    return;
  }
  res.render('customers/user-form', {
    title: t('customerUsersPage.editTitle', { login: user.login }),
    action: userPath(res, user.login),
    view: userFormView(map, state.form ?? userFormOf(user, map), 'edit', state.problem ?? null, t),
    validities: VALIDITIES,
    user,
    canAnonymise: can(actor, 'customer-user.anonymise') && user.anonymisedAt === null,
    confirm: state.confirm ?? '',
    notice: state.notice ?? null,
  });
}

export function renderCreatePage(res: Response, map: FieldMap, form: UserForm, problem: FormProblem | null, status = 200): void {
  const t = translatorOf(res);
  res.status(status).render('customers/user-form', {
    title: t('customerUsersPage.newTitle'),
    action: `${loketBase(res)}/customer-users`,
    view: userFormView(map, form, 'create', problem, t),
    validities: VALIDITIES,
    user: null,
    canAnonymise: false,
    confirm: '',
    notice: null,
  });
}
