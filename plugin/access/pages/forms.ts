import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import { asList, formText } from '../../customers/pages/form-values.js';
import type { NamedEntry } from '../groups/store.js';
import type { GroupAssignments } from '../groups/schema.js';
import { parseInput } from '../../web/validate.js';

/**
 * Form bodies of the access screens, parsed at the edge. Each value must be one string (a checkbox
 * group: one or several); the services check the values themselves.
 */

/** A checkbox group: absent, one string or several, never anything else. */
const checkboxes = (max: number, each: number) =>
  z.union([formText(each), z.array(formText(each)).max(max)]).optional().transform(asList);

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Create and edit of a group or service: name (create only), comment, validity and the version read. */
export const namedForm = z.object({
  name: formText(1000).default(''),
  comment: formText(20_000).default(''),
  validity: z.enum(VALIDITIES).default('valid'),
  version: z.string().regex(/^\d{1,12}$/).transform(Number).optional(),
});
export type NamedForm = z.output<typeof namedForm>;

export const emptyNamedForm = (): NamedForm => namedForm.parse({});
export const namedFormOf = (e: NamedEntry): NamedForm => ({ name: e.name, comment: e.comment, validity: e.validity, version: e.version });

/** Listing filters of the group list. */
export const namedListQuery = z.object({
  search: z.preprocess(blankToUndefined, formText(200).optional()),
  validity: z.preprocess(blankToUndefined, z.enum(VALIDITIES).optional()),
});

/** A grid cell's value is `type:group` (types are `[a-z0-9-]`, so the first `:` separates them). */
const GRANT = /^([a-z][a-z0-9-]{0,31}):([\s\S]+)$/;
export const grantValue = (permission: string, group: string): string => `${permission}:${group}`;

/** The grid (group × type) and the services checklist, as one form or either part alone. */
export const assignmentForm = z.object({
  grant: checkboxes(5000, 200).pipe(z.array(z.string().regex(GRANT, 'expected type:group'))),
  service: checkboxes(5000, 200),
});

/** Ticked cells → the API's `[{ group, permissions }]`, in the order the groups first appear. */
export function grantsOf(values: readonly string[]): GroupAssignments['groups'] {
  const byGroup = new Map<string, string[]>();
  for (const value of values) {
    const match = GRANT.exec(value);
    if (!match) continue;
    const permission = match[1]!;
    const group = match[2]!;
    const held = byGroup.get(group) ?? [];
    if (!held.includes(permission)) held.push(permission);
    byGroup.set(group, held);
  }
  return [...byGroup.entries()].map(([group, permissions]) => ({ group, permissions }));
}

export interface TickedAssignments {
  groups: GroupAssignments['groups'];
  services: string[];
}

export function parseAssignmentForm(body: unknown): TickedAssignments {
  const form = parseInput(assignmentForm, body);
  return { groups: grantsOf(form.grant), services: [...new Set(form.service)] };
}

/** The members matrix: which tab, filter and page it was, one row per member shown, and the add row. */
export const MEMBERS_PER_PAGE = 50;
export const MEMBER_KINDS = ['customer-users', 'customers'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export const membersQuery = z.object({
  members: z.preprocess(blankToUndefined, z.enum(MEMBER_KINDS).default('customer-users')),
  filter: z.preprocess(blankToUndefined, formText(200).optional()),
  page: z.preprocess(blankToUndefined, z.string().regex(/^\d{1,7}$/, 'expected a page number').transform(Number).pipe(z.number().int().min(1)).default(1)),
});
export type MembersQuery = z.output<typeof membersQuery>;

const membersHead = membersQuery.extend({
  'add-member': formText(200).default(''),
  'add-perm': checkboxes(32, 32),
});

const memberRow = z.object({ member: formText(200).min(1), perm: checkboxes(32, 32) });

export interface MemberRow {
  key: string;
  permissions: string[];
}

export interface MembersForm {
  query: MembersQuery;
  rows: MemberRow[];
  add: MemberRow;
}

/** Rows arrive as `row-<i>-member` (hidden, the member's key) and `row-<i>-perm` (the ticked types). */
export function parseMembersForm(body: unknown): MembersForm {
  const head = parseInput(membersHead, body);
  const record = (body ?? {}) as Record<string, unknown>;
  const rows: MemberRow[] = [];
  for (let i = 0; i < MEMBERS_PER_PAGE && Object.hasOwn(record, `row-${i}-member`); i += 1) {
    const row = parseInput(memberRow, { member: record[`row-${i}-member`], perm: record[`row-${i}-perm`] });
    rows.push({ key: row.member, permissions: row.perm });
  }
  const { 'add-member': addKey, 'add-perm': addPermissions, ...query } = head;
  return { query, rows, add: { key: addKey.trim(), permissions: addPermissions } };
}
