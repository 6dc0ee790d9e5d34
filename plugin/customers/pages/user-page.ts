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

/** Where a directory user comes from, as their pages say it; null for a user Loket stores itself. */
export interface DirectorySource {
  key: string;
  /** The backend's name; null when the reader may not see the backends' settings. */
  name: string | null;
  dn: string;
  seenAt: string | null;
  missingAt: string | null;
}

export const directorySourceOf = (user: CustomerUserRecord, name: string | null): DirectorySource | null =>
  user.backend === DB_BACKEND_KEY || !user.directory ? null : { key: user.backend, name, ...user.directory };

/**
 * The map an admin's edit form follows for this user. A directory user's fields belong to the directory,
 * so every row is read-only: the form shows them as text and sends none of them.
 */
export const editMapOf = (user: CustomerUserRecord, map: FieldMap): FieldMap =>
  user.backend === DB_BACKEND_KEY ? map : map.map((row) => ({ ...row, readOnly: true }));

export interface UserPageState {
  form?: UserForm;
  problem?: FormProblem | null;
  status?: number;
  notice?: string | null;
  /** What was typed into the anonymise confirmation, when that form was refused. */
  confirm?: string;
  /** Name of the directory a directory user comes from, when the reader may see it. */
  directoryName?: string | null;
}

/**
 * One customer user: the edit form for those who may change them, otherwise the read-only detail view
 * of the map's shown fields. `map` is the user's record map (their backend's). For a directory user the
 * form keeps the directory's fields as text and edits only what Loket keeps: validity, extra customers,
 * key-user marks, manager and language (no password: they sign in with the directory's).
 */
export function renderUserPage(res: Response, actor: Actor, user: CustomerUserRecord, map: FieldMap, state: UserPageState = {}): void {
  const t = translatorOf(res);
  res.status(state.status ?? 200);
  const directory = directorySourceOf(user, state.directoryName ?? null);
  if (!can(actor, 'customer-user.manage')) {
    res.render('customers/user-detail', {
      user,
      rows: detailRows(map).map((row) => ({ label: labelOf(row, t), ...cellOf(row, user.fields) })),
      directory,
      notice: state.notice ?? null,
    });
    return;
  }
  const editMap = editMapOf(user, map);
  res.render('customers/user-form', {
    title: t('customerUsersPage.editTitle', { login: user.login }),
    action: userPath(res, user.login),
    view: userFormView(editMap, state.form ?? userFormOf(user, editMap), 'edit', state.problem ?? null, t),
    directory,
    directoryRows: directory ? map.map((row) => ({ label: labelOf(row, t), ...cellOf(row, user.fields) })) : [],
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
    directory: null,
    directoryRows: [],
    validities: VALIDITIES,
    user: null,
    canAnonymise: false,
    confirm: '',
    notice: null,
  });
}
