import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Actor } from '../actor.js';
import { can } from '../policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { formRefusal, translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { NamedEntry } from '../groups/store.js';
import type { AccessScreenDeps } from './deps.js';
import { MEMBER_KINDS, MEMBERS_PER_PAGE, membersQuery, parseMembersForm, type MemberKind, type MemberRow, type MembersQuery } from './forms.js';
import { withAccessNotice } from './notices.js';
import { accessProblem } from './problems.js';

/** The matrix as sent, shown again after a refusal so nothing ticked is lost. */
export interface MatrixState {
  query: MembersQuery;
  rows: MemberRow[];
  add: MemberRow;
  problem: FormProblem | null;
}

interface Cell {
  id: string;
  permission: string;
  checked: boolean;
}

export interface MatrixView {
  kind: MemberKind;
  tabs: { kind: MemberKind; href: string; current: boolean }[];
  filter: string;
  page: number;
  from: number;
  to: number;
  total: number;
  rows: { index: number; key: string; href: string; cells: Cell[] }[];
  add: { key: string; cells: Cell[] };
  previous: string | null;
  next: string | null;
  action: string;
  editable: boolean;
  problem: FormProblem | null;
}

const serviceKind = (kind: MemberKind) => (kind === 'customers' ? 'customer' : 'customer-user');

interface MatrixPlace { members: MemberKind; filter?: string | undefined; page: number }

/** The matrix's tab, filter and page as query parameters of the group's page. */
function matrixParams(place: MatrixPlace): Record<string, string> {
  return { members: place.members, ...(place.filter && { filter: place.filter }), ...(place.page > 1 && { page: String(place.page) }) };
}

const matrixHref = (path: string, place: MatrixPlace): string => `${path}?${new URLSearchParams(matrixParams(place)).toString()}#members`;

/** One page (50) of a group's customer users or customers, one checkbox per permission type. */
export async function loadMatrix(
  deps: AccessScreenDeps,
  req: Request,
  res: Response,
  actor: Actor,
  group: NamedEntry,
  types: readonly string[],
  state?: MatrixState,
): Promise<MatrixView> {
  const query = state?.query ?? parseInput(membersQuery, req.query);
  const page = await deps.assignments.members(actor, group.name, serviceKind(query.members), {
    limit: MEMBERS_PER_PAGE,
    offset: (query.page - 1) * MEMBERS_PER_PAGE,
    search: query.filter,
  });
  const rows = state?.rows ?? page.items.map((item) => ({ key: item.key, permissions: item.permissions }));
  const path = `${loketBase(res)}/groups/${encodeURIComponent(group.name)}`;
  const memberBase = `${loketBase(res)}/${query.members === 'customers' ? 'customers' : 'customer-users'}/`;
  const cells = (prefix: string, held: readonly string[]) => types.map((permission) => ({ id: `${prefix}-${permission}`, permission, checked: held.includes(permission) }));
  const from = page.items.length ? (query.page - 1) * MEMBERS_PER_PAGE + 1 : 0;
  return {
    kind: query.members,
    tabs: MEMBER_KINDS.map((kind) => ({ kind, href: matrixHref(path, { members: kind, page: 1 }), current: kind === query.members })),
    filter: query.filter ?? '',
    page: query.page,
    from,
    to: from === 0 ? 0 : from + page.items.length - 1,
    total: page.total,
    rows: rows.map((row, index) => ({ index, key: row.key, href: memberBase + encodeURIComponent(row.key), cells: cells(`m-${index}`, row.permissions) })),
    add: { key: state?.add.key ?? '', cells: cells('m-add', state?.add.permissions ?? []) },
    previous: query.page > 1 ? matrixHref(path, { ...query, page: query.page - 1 }) : null,
    next: query.page * MEMBERS_PER_PAGE < page.total ? matrixHref(path, { ...query, page: query.page + 1 }) : null,
    action: `${path}/members`,
    editable: can(actor, 'assignment.manage'),
    problem: state?.problem ?? null,
  };
}

/**
 * Saving the matrix: every member on the visible page gets exactly the boxes ticked (none ticked: out of
 * the group), plus the member in the add row; all in one transaction, audited as one change.
 */
export function memberRoutes(
  deps: AccessScreenDeps,
  page: {
    findGroup: (req: Request) => Promise<NamedEntry>;
    renderGroup: (req: Request, res: Response, actor: Actor, group: NamedEntry, state: { matrix: MatrixState; status: number }) => Promise<void>;
    manage: RequestHandler;
  },
): Router {
  const router = Router();

  router.post('/groups/:name/members', page.manage, async (req, res) => {
    const actor = currentActor(req);
    const group = await page.findGroup(req);
    const form = parseMembersForm(req.body);
    const t = translatorOf(res);
    const refuse = (status: number, problem: FormProblem) => page.renderGroup(req, res, actor, group, { status, matrix: { ...form, problem } });
    if (form.add.key !== '' && form.add.permissions.length === 0) {
      await refuse(400, { field: 'add-member', target: 'm-add-member', message: t('accessScreens.errors.addNeedsPermission') });
      return;
    }
    const members = form.add.key === '' ? form.rows : [...form.rows, form.add];
    const changes = members.map((m) => (form.query.members === 'customers' ? { customer: m.key, permissions: m.permissions } : { customerUser: m.key, permissions: m.permissions }));
    try {
      const count = await deps.assignments.setMembers(actor, group.name, changes, auditSubjectOf(actor, req.ip ?? null));
      const path = `${loketBase(res)}/groups/${encodeURIComponent(group.name)}`;
      res.redirect(303, `${withAccessNotice(path, 'membersSaved', { ...matrixParams(form.query), count: String(count) })}#members`);
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      // The add row is the last change; the others are the rows shown, which the page itself filled in.
      const addRow = refusal.field?.startsWith(`changes.${form.rows.length}.`) === true && form.add.key !== '';
      await refuse(refusal.status, { ...accessProblem(refusal, t, 'assignment'), ...(addRow && { field: 'add-member', target: 'm-add-member' }) });
    }
  });

  return router;
}
