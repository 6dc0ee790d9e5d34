import { FilterParser } from 'ldapts';
import { z } from 'zod';
import { fieldMapSchema, type FieldMap } from '../../field-map.js';

/**
 * An LDAP backend's settings as admins save them (screen, API, `loket ldap`). The bind password is
 * write-only: stored, never answered, never logged, never put in the audit log (see `redactSettings`).
 */
const LDAP_URL = /^ldaps?:\/\/[A-Za-z0-9.[\]:-]+(:\d{1,5})?\/?$/;
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
/** A DN as typed: no control characters; the directory itself decides whether it exists. */
const dnSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((dn) => ![...dn].some((c) => c.charCodeAt(0) < 0x20), 'a DN without control characters');

export const ldapFilterSchema = z
  .string()
  .trim()
  .min(3)
  .max(2000)
  .refine((value) => {
    try {
      FilterParser.parseString(value);
      return true;
    } catch {
      return false;
    }
  }, 'an LDAP filter (RFC 4515), e.g. (objectClass=inetOrgPerson)');

export const attributeSchema = z.string().regex(ATTRIBUTE, 'an attribute name (letters, digits, -)');

export const customerIdFromSchema = z.union([
  z.strictObject({ attribute: attributeSchema }),
  z.strictObject({ constant: z.string().trim().min(1).max(150) }),
  z.strictObject({
    rules: z.array(z.strictObject({ dnSuffix: dnSchema, customerId: z.string().trim().min(1).max(150) })).min(1).max(100),
  }),
]);
export type CustomerIdFrom = z.output<typeof customerIdFromSchema>;

export const groupMappingRowSchema = z.strictObject({
  ldapGroupDn: dnSchema,
  group: z.string().trim().min(1).max(191),
  permissions: z.array(z.string().trim().min(1).max(32)).min(1).max(20),
});
export type GroupMappingRow = z.output<typeof groupMappingRowSchema>;

export const LDAP_DEFAULTS = {
  scope: 'sub',
  filter: '(objectClass=inetOrgPerson)',
  loginAttribute: 'uid',
  idAttribute: 'entryUUID',
  pageSize: 500,
  timeoutMs: 5000,
  cacheTtlSeconds: 300,
  maxDeactivateShare: 0.1,
} as const;

export const ldapSettingsSchema = z.strictObject({
  name: z.string().trim().max(100).optional(),
  url: z
    .union([z.string().trim(), z.array(z.string().trim()).min(1).max(5)])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/).filter(Boolean)))
    .pipe(z.array(z.string().regex(LDAP_URL, 'ldap://host[:port] or ldaps://host[:port]')).min(1, 'at least one URL').max(5)),
  startTls: z.boolean().default(false),
  /** PEM certificates the server's certificate must chain to (LDAPS and StartTLS); empty: the system's. */
  tlsCa: z.string().trim().max(20_000).optional(),
  tlsRejectUnauthorized: z.boolean().default(true),
  bindDn: z.string().trim().max(1000).optional(),
  bindPassword: z.string().max(500).optional(),
  baseDn: dnSchema,
  scope: z.enum(['base', 'one', 'sub']).default(LDAP_DEFAULTS.scope),
  filter: ldapFilterSchema.default(LDAP_DEFAULTS.filter),
  loginAttribute: attributeSchema.default(LDAP_DEFAULTS.loginAttribute),
  idAttribute: attributeSchema.default(LDAP_DEFAULTS.idAttribute),
  customerIdFrom: customerIdFromSchema,
  map: fieldMapSchema,
  groupMapping: z.array(groupMappingRowSchema).max(200).default([]),
  groupSearch: z
    .strictObject({
      baseDn: dnSchema,
      filter: ldapFilterSchema.default('(objectClass=groupOfNames)'),
      memberAttribute: attributeSchema.default('member'),
    })
    .optional(),
  managerAttribute: attributeSchema.optional(),
  pageSize: z.number().int().min(1).max(5000).default(LDAP_DEFAULTS.pageSize),
  timeoutMs: z.number().int().min(100).max(60_000).default(LDAP_DEFAULTS.timeoutMs),
  cacheTtlSeconds: z.number().int().min(0).max(86_400).default(LDAP_DEFAULTS.cacheTtlSeconds),
  /** A sync refuses to deactivate more than this share of the backend's valid users, unless forced. */
  maxDeactivateShare: z.number().min(0).max(1).default(LDAP_DEFAULTS.maxDeactivateShare),
});
export type LdapSettings = z.output<typeof ldapSettingsSchema>;
export type LdapSettingsInput = z.input<typeof ldapSettingsSchema>;

/** Settings as answered and audited: the password replaced by whether one is set. */
export function redactSettings(settings: LdapSettings): Omit<LdapSettings, 'bindPassword'> & { bindPasswordSet: boolean } {
  const { bindPassword, ...rest } = settings;
  return { ...rest, bindPasswordSet: Boolean(bindPassword) };
}

/** The map's directory attributes, lower-cased (ldapts hands attribute names back as the server spells them). */
export function mappedAttributes(settings: Pick<LdapSettings, 'map' | 'loginAttribute' | 'idAttribute' | 'managerAttribute' | 'customerIdFrom'>): string[] {
  const names = new Set<string>([settings.loginAttribute, settings.idAttribute, ...settings.map.map((r) => r.storage)]);
  if (settings.managerAttribute) names.add(settings.managerAttribute);
  if ('attribute' in settings.customerIdFrom) names.add(settings.customerIdFrom.attribute);
  return [...names];
}

/** A map for a directory user, as a new LDAP backend starts with (inetOrgPerson attribute names). */
export const DEFAULT_LDAP_MAP: FieldMap = fieldMapSchema.parse([
  { key: 'firstName', storage: 'givenName', shown: 2, search: true, readOnly: true },
  { key: 'lastName', storage: 'sn', shown: 2, search: true, readOnly: true },
  { key: 'login', storage: 'uid', shown: 2, search: true, readOnly: true },
  { key: 'email', storage: 'mail', shown: 2, search: true, type: 'email', link: 'mailto:{{email}}', readOnly: true },
  { key: 'customerId', storage: 'o', shown: 2, readOnly: true },
  { key: 'phone', storage: 'telephoneNumber', link: 'tel:{{phone}}', readOnly: true },
]);
