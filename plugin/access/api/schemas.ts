import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import { optionalText } from '../../audit/schema.js';
import { customerIdParam, limitField, loginParam, offsetField, validityField } from '../../customers/api-schemas.js';
import { listOf } from '../../customers/present.js';
import { STRONGEST } from '../effective-permissions.js';
import { groupAssignmentsSchema, permissionTypeNameSchema, serviceAssignmentsSchema } from '../groups/schema.js';
import type { NamedEntry, PermissionType } from '../groups/store.js';

/** Query strings, bodies and answers of the groups, services and assignments API, parsed at the edge. */

export const NAMED_DEFAULT_LIMIT = 100;
export const NAMED_MAX_LIMIT = 1000;
export const MAX_MEMBER_CHANGES = 1000;

/** Names in paths are taken as sent (URL-decoded by the router); lookups ignore case, as the names are unique that way. */
export const nameParam = z.string().min(1).max(191);

export const namedListQuery = z.object({
  search: optionalText(191),
  validity: validityField,
  limit: limitField(NAMED_DEFAULT_LIMIT, NAMED_MAX_LIMIT),
  offset: offsetField,
});

export const MEMBER_KINDS = ['customer-user', 'customer'] as const;

export const membersQuery = z.object({
  kind: z.enum(MEMBER_KINDS).default('customer-user'),
  search: optionalText(191),
  limit: limitField(NAMED_DEFAULT_LIMIT, NAMED_MAX_LIMIT),
  offset: offsetField,
});

/** One row of the group → members matrix: the same shape is read (GET) and written back (POST). */
const memberChange = z
  .strictObject({
    customerUser: loginParam.optional().describe('Login of a customer user'),
    customer: customerIdParam.optional().describe('Exact customer ID'),
    permissions: z.array(permissionTypeNameSchema).max(32).describe('Exactly the types this member holds in the group afterwards; [] removes the member'),
  })
  .refine((change) => (change.customerUser === undefined) !== (change.customer === undefined), { message: 'name either customerUser or customer' });

export const memberChangesSchema = z.strictObject({
  changes: z.array(memberChange).min(1).max(MAX_MEMBER_CHANGES),
});

/** Unsaved edits of the customer-user screen; each part omitted stays as stored. */
export const previewSchema = z.strictObject({
  groups: groupAssignmentsSchema.shape.groups.optional().describe('The user\'s own group grants as they would be saved'),
  services: serviceAssignmentsSchema.shape.services.optional().describe('The user\'s own services as they would be saved'),
  customerIds: z.array(customerIdParam).max(100).optional().describe('The extra customers as they would be saved (the primary one always counts)'),
});

/* ---- Answers ---- */

const namedEntryResponse = z.object({
  name: z.string(),
  comment: z.string(),
  validity: z.enum(VALIDITIES),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().describe('Also in the ETag header; send it back as If-Match or version to refuse stale edits'),
});

export const groupResponseSchema = namedEntryResponse;
export const serviceResponseSchema = namedEntryResponse.extend({
  parent: z.string().nullable().describe('The parent in the tree (`IT` for `IT::Email`), or null at the top'),
});

export const presentGroup = (e: NamedEntry): z.output<typeof groupResponseSchema> => ({
  name: e.name,
  comment: e.comment,
  validity: e.validity,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  version: e.version,
});

export const presentService = (e: NamedEntry): z.output<typeof serviceResponseSchema> => ({
  ...presentGroup(e),
  parent: e.name.includes('::') ? e.name.slice(0, e.name.lastIndexOf('::')) : null,
});

export const permissionTypeResponseSchema = z.object({
  name: z.string(),
  comment: z.string(),
  builtIn: z.boolean().describe('ro, create and rw ship with Loket'),
  strongest: z.boolean().describe(`True for ${STRONGEST} only: it implies every other type`),
});

export const permissionTypeListSchema = listOf(permissionTypeResponseSchema).describe(`Weakest first; ${STRONGEST} is always last`);

export const presentPermissionTypes = (types: readonly PermissionType[]): z.output<typeof permissionTypeListSchema> => ({
  items: types.map((t) => ({ name: t.name, comment: t.comment, builtIn: t.builtIn, strongest: t.name === STRONGEST })),
  total: types.length,
  limit: types.length,
});

export const memberSchema = z.object({
  customerUser: z.string().optional().describe('With kind=customer-user'),
  customer: z.string().optional().describe('With kind=customer'),
  permissions: z.array(z.string()).describe('Weakest first'),
});

export const changedSchema = z.object({ changed: z.number().int().describe('Members set in one transaction') });

export const holdersSchema = z.object({
  service: z.string(),
  customerUsers: z.array(z.string()).describe('Logins holding it directly (at most 1000)'),
  customers: z.array(z.string()).describe('Customer IDs holding it (at most 1000)'),
  groups: z.array(z.string()).describe('Groups whose holders get it'),
  isDefault: z.boolean().describe('Every customer user gets it'),
});

const groupReasonSchema = z.object({
  source: z.enum(['direct', 'customer', 'default', 'delegation', 'directory']),
  customerId: z.string().optional().describe('source customer: the customer (primary or extra) whose grant this is'),
  scope: z.enum(['customer-users', 'customers']).optional().describe('source default: the defaults for all customer users, or for all customers'),
  delegationId: z.number().int().optional().describe('source delegation: the delegation that grants it'),
  backend: z.string().optional().describe('source directory: the key of the directory backend whose group mapping grants it'),
  ldapGroupDn: z.string().optional().describe('source directory: the LDAP group the user is a member of'),
  impliedBy: z.string().optional().describe(`Set to "${STRONGEST}" when the source grants ${STRONGEST}, which implies this type`),
});

const serviceReasonSchema = z.object({
  source: z.enum(['direct', 'customer', 'group', 'default']),
  customerId: z.string().optional().describe('source customer: the customer whose service this is'),
  group: z.string().optional().describe('source group: a group the user holds any permission in'),
});

export const effectivePermissionsSchema = z
  .object({
    groups: z.array(z.object({ group: z.string(), permission: z.string(), reasons: z.array(groupReasonSchema) })).describe('Sorted by group, then weakest type first'),
    services: z.array(z.object({ service: z.string(), reasons: z.array(serviceReasonSchema) })).describe('Entitled services, sorted by name'),
  })
  .describe('Only valid groups and services count; every cell lists every source that grants it');

/** Permission lists come from the stores in no particular order; answers list them weakest first. */
export function rankedPermissions(types: readonly PermissionType[]): (permissions: readonly string[]) => string[] {
  const rank = new Map(types.map((t, i) => [t.name, i]));
  return (permissions) => [...permissions].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}
