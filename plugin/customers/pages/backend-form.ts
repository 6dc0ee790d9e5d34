import { z } from 'zod';
import { validationError, type LoketError } from '../../errors.js';
import { parseInput } from '../../web/validate.js';
import { PREVIEW_DEFAULT_LIMIT } from '../api-schemas.js';
import { customerIdFromSchema, DEFAULT_LDAP_MAP, LDAP_DEFAULTS, ldapFilterSchema, ldapSettingsSchema, type LdapSettings } from '../backends/ldap/settings.js';
import type { FieldMap } from '../field-map.js';
import { draftOf, draftsFromForm, emptyNewRow, fieldMapProblem, isCore, rowInput, submittedRows, type RowDraft } from './field-map-form.js';
import { describeRefusal, type FormProblem, type Translate } from './form-errors.js';

/**
 * The directory backend's settings form as typed (strings and ticks), so a refused or tried form shows
 * again exactly as it was. The map rows are the field-map screen's rows (field-map-form.ts) with an
 * editable LDAP attribute; customer-ID rules and group mapping rows are numbered tables. The bind
 * password is never part of what is shown again.
 */
export type CustomerIdSource = 'attribute' | 'constant' | 'rules';
export const SCOPES = ['base', 'one', 'sub'] as const;
export const INTENTS = ['save', 'test', 'preview', 'dryrun', 'sync'] as const;
export type Intent = (typeof INTENTS)[number];

export interface RuleDraft {
  dnSuffix: string;
  customerId: string;
  remove: boolean;
}

export interface GroupDraft {
  ldapGroupDn: string;
  group: string;
  permissions: string[];
  remove: boolean;
}

export interface LdapForm {
  name: string;
  url: string;
  startTls: boolean;
  tlsCa: string;
  tlsRejectUnauthorized: boolean;
  bindDn: string;
  /** Typed this time only; never rendered back. */
  bindPassword: string;
  clearPassword: boolean;
  baseDn: string;
  scope: string;
  filter: string;
  loginAttribute: string;
  idAttribute: string;
  customerIdSource: CustomerIdSource;
  customerIdAttribute: string;
  customerIdConstant: string;
  rules: RuleDraft[];
  managerAttribute: string;
  pageSize: string;
  timeoutMs: string;
  cacheTtlSeconds: string;
  maxDeactivatePercent: string;
  groupSearchBaseDn: string;
  groupSearchFilter: string;
  groupSearchMemberAttribute: string;
  map: RowDraft[];
  groups: GroupDraft[];
  previewLimit: string;
  previewFilter: string;
  force: boolean;
}

/** Form names of the map rows (`<property>.<key>`, see field-map-form.ts); everything else has other names. */
const MAP_CONTROL = /^(key|storage|label|shown|required|type|link|readOnly|search|options|remove)\./;
const MAX_TABLE_ROWS = 200;
const RULES_SCHEMA = customerIdFromSchema.options[2];
/** What the map's storage accepts for an attribute (field-map.ts). */
const ATTRIBUTE_NAME = /^[A-Za-z][\w.-]{0,99}$/;

const percentOf = (share: number): string => String(Math.round(share * 10_000) / 100);

/** The form for saved settings (or, for a new backend, the defaults with the default directory map). */
export function ldapFormOf(settings: (Omit<LdapSettings, 'bindPassword'> & { bindPassword?: string }) | null): LdapForm {
  const from = settings?.customerIdFrom;
  return {
    name: settings?.name ?? '',
    url: settings?.url.join('\n') ?? '',
    startTls: settings?.startTls ?? false,
    tlsCa: settings?.tlsCa ?? '',
    tlsRejectUnauthorized: settings?.tlsRejectUnauthorized ?? true,
    bindDn: settings?.bindDn ?? '',
    bindPassword: '',
    clearPassword: false,
    baseDn: settings?.baseDn ?? '',
    scope: settings?.scope ?? LDAP_DEFAULTS.scope,
    filter: settings?.filter ?? LDAP_DEFAULTS.filter,
    loginAttribute: settings?.loginAttribute ?? LDAP_DEFAULTS.loginAttribute,
    idAttribute: settings?.idAttribute ?? LDAP_DEFAULTS.idAttribute,
    customerIdSource: !from ? 'rules' : 'attribute' in from ? 'attribute' : 'constant' in from ? 'constant' : 'rules',
    customerIdAttribute: from && 'attribute' in from ? from.attribute : '',
    customerIdConstant: from && 'constant' in from ? from.constant : '',
    rules: from && 'rules' in from ? from.rules.map((r) => ({ ...r, remove: false })) : [],
    managerAttribute: settings?.managerAttribute ?? '',
    pageSize: String(settings?.pageSize ?? LDAP_DEFAULTS.pageSize),
    timeoutMs: String(settings?.timeoutMs ?? LDAP_DEFAULTS.timeoutMs),
    cacheTtlSeconds: String(settings?.cacheTtlSeconds ?? LDAP_DEFAULTS.cacheTtlSeconds),
    maxDeactivatePercent: percentOf(settings?.maxDeactivateShare ?? LDAP_DEFAULTS.maxDeactivateShare),
    groupSearchBaseDn: settings?.groupSearch?.baseDn ?? '',
    groupSearchFilter: settings?.groupSearch?.filter ?? '',
    groupSearchMemberAttribute: settings?.groupSearch?.memberAttribute ?? '',
    map: [...(settings?.map ?? DEFAULT_LDAP_MAP).map(draftOf), emptyNewRow()],
    groups: settings?.groupMapping.map((g) => ({ ...g, remove: false })) ?? [],
    previewLimit: String(PREVIEW_DEFAULT_LIMIT),
    previewFilter: '',
    force: false,
  };
}

const body = z.record(z.string(), z.string().max(20_000));

/** Rows `<prefix>.<i>` of a numbered table, read until the first index the form did not send. */
function numberedRows<T>(form: Record<string, string>, probe: (i: number) => string, read: (i: number) => T): T[] {
  const rows: T[] = [];
  for (let i = 0; i < MAX_TABLE_ROWS && form[probe(i)] !== undefined; i++) rows.push(read(i));
  return rows;
}

/**
 * Reads the posted form. Every value must be one string (a repeated name, an array, is a 400): the
 * form gives every control a name of its own, permission checkboxes included (`gm.perm.<i>.<type>`).
 */
export function parseLdapForm(baseMap: FieldMap, input: unknown, permissionTypes: readonly string[]): { form: LdapForm; intent: Intent } {
  const form = parseInput(body, input);
  const text = (name: string) => form[name] ?? '';
  const ticked = (name: string) => form[name] === '1';
  const intent = z.enum(INTENTS).catch('save').parse(form.intent);

  const mapPart = Object.fromEntries(Object.entries(form).filter(([name]) => MAP_CONTROL.test(name)));
  // Same rows and rules as the database field map, except that each row's LDAP attribute is typed and
  // any row but the core ones may go (a directory may simply not have a fax number).
  const map = draftsFromForm(baseMap, mapPart).map((d): RowDraft => {
    const storage = form[`storage.${d.formKey}`];
    return {
      ...d,
      storage: storage === undefined ? (d.isNew ? '' : d.storage) : storage.trim(),
      remove: !d.isNew && !isCore(d.key) && ticked(`remove.${d.formKey}`),
    };
  });

  const source = z.enum(['attribute', 'constant', 'rules']).catch('rules').parse(form['cid.source']);
  return {
    intent,
    form: {
      name: text('name'),
      url: text('url'),
      startTls: ticked('startTls'),
      tlsCa: text('tlsCa'),
      tlsRejectUnauthorized: ticked('tlsRejectUnauthorized'),
      bindDn: text('bindDn'),
      bindPassword: text('bindPassword'),
      clearPassword: ticked('clearPassword'),
      baseDn: text('baseDn'),
      scope: text('scope'),
      filter: text('filter'),
      loginAttribute: text('loginAttribute'),
      idAttribute: text('idAttribute'),
      customerIdSource: source,
      customerIdAttribute: text('cid.attribute'),
      customerIdConstant: text('cid.constant'),
      rules: numberedRows(form, (i) => `rule.dnSuffix.${i}`, (i) => ({ dnSuffix: text(`rule.dnSuffix.${i}`), customerId: text(`rule.customerId.${i}`), remove: ticked(`rule.remove.${i}`) })),
      managerAttribute: text('managerAttribute'),
      pageSize: text('pageSize'),
      timeoutMs: text('timeoutMs'),
      cacheTtlSeconds: text('cacheTtlSeconds'),
      maxDeactivatePercent: text('maxDeactivatePercent'),
      groupSearchBaseDn: text('gs.baseDn'),
      groupSearchFilter: text('gs.filter'),
      groupSearchMemberAttribute: text('gs.memberAttribute'),
      map,
      groups: numberedRows(form, (i) => `gm.dn.${i}`, (i) => ({
        ldapGroupDn: text(`gm.dn.${i}`),
        group: text(`gm.group.${i}`),
        permissions: permissionTypes.filter((type) => ticked(`gm.perm.${i}.${type}`)),
        remove: ticked(`gm.remove.${i}`),
      })),
      previewLimit: text('previewLimit'),
      previewFilter: text('previewFilter'),
      force: ticked('force'),
    },
  };
}

const blank = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
/** A whole number as typed; anything else goes on as text, so the schema names the field. */
const whole = (value: string): number | string => (/^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value);

/** The table rows that are sent: neither removed nor left empty (their indexes number the errors). */
export const sentRules = (form: LdapForm): RuleDraft[] => form.rules.filter((r) => !r.remove && (r.dnSuffix.trim() !== '' || r.customerId.trim() !== ''));
export const sentGroups = (form: LdapForm): GroupDraft[] => form.groups.filter((g) => !g.remove && (g.ldapGroupDn.trim() !== '' || g.group !== ''));

/**
 * The settings the form describes, as the service takes them. The password follows the API's rule:
 * left out keeps the stored one, an empty string clears it.
 */
export function settingsInput(form: LdapForm): Record<string, unknown> {
  const percent = form.maxDeactivatePercent.trim();
  const customerIdFrom =
    form.customerIdSource === 'attribute'
      ? { attribute: form.customerIdAttribute.trim() }
      : form.customerIdSource === 'constant'
        ? { constant: form.customerIdConstant }
        : { rules: sentRules(form).map((r) => ({ dnSuffix: r.dnSuffix, customerId: r.customerId })) };
  const groupSearch = [form.groupSearchBaseDn, form.groupSearchFilter, form.groupSearchMemberAttribute].some((v) => v.trim() !== '')
    ? { baseDn: form.groupSearchBaseDn, filter: blank(form.groupSearchFilter), memberAttribute: blank(form.groupSearchMemberAttribute) }
    : undefined;
  return {
    name: blank(form.name),
    url: form.url,
    startTls: form.startTls,
    tlsCa: blank(form.tlsCa),
    tlsRejectUnauthorized: form.tlsRejectUnauthorized,
    bindDn: blank(form.bindDn),
    ...(form.clearPassword ? { bindPassword: '' } : form.bindPassword !== '' ? { bindPassword: form.bindPassword } : {}),
    baseDn: form.baseDn,
    scope: form.scope,
    filter: blank(form.filter),
    loginAttribute: blank(form.loginAttribute),
    idAttribute: blank(form.idAttribute),
    customerIdFrom,
    map: submittedRows(form.map).map(rowInput),
    groupMapping: sentGroups(form).map((g) => ({ ldapGroupDn: g.ldapGroupDn, group: g.group, permissions: g.permissions })),
    groupSearch,
    managerAttribute: blank(form.managerAttribute),
    pageSize: whole(form.pageSize),
    timeoutMs: whole(form.timeoutMs),
    cacheTtlSeconds: whole(form.cacheTtlSeconds),
    maxDeactivateShare: /^\d{1,3}(\.\d{1,2})?$/.test(percent) ? Number(percent) / 100 : percent,
  };
}

/**
 * The settings to try (test, preview, dry run) without saving: the same schema as a save. A field it
 * refuses becomes the same 400 a save would give, so the form shows it at that field.
 */
export function settingsToTry(form: LdapForm): LdapSettings {
  const input = settingsInput(form);
  const result = ldapSettingsSchema.safeParse(input);
  if (result.success) {
    // No password typed (and none cleared): the operation uses the stored one.
    if (!Object.hasOwn(input, 'bindPassword')) delete result.data.bindPassword;
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || 'body';
  throw validationError(`${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** The preview's own inputs: how many entries, and an extra filter (checked like the API's). */
export function previewOptions(form: LdapForm): { limit: number; filter: string | undefined } {
  const limit = Number(form.previewLimit);
  if (!/^\d{1,3}$/.test(form.previewLimit.trim()) || limit < 1 || limit > 200) throw validationError('previewLimit: 1 to 200', 'previewLimit');
  const filter = blank(form.previewFilter);
  if (filter !== undefined && !ldapFilterSchema.safeParse(filter).success) throw validationError('previewFilter: an LDAP filter', 'previewFilter');
  return { limit, filter };
}

/* ---- Refusals shown at their control ---- */

/** Ids of the controls, as the view names them. */
const CONTROL_IDS: Record<string, string> = {
  name: 'lb-name', url: 'lb-url', startTls: 'lb-startTls', tlsCa: 'lb-tlsCa', tlsRejectUnauthorized: 'lb-tlsRejectUnauthorized',
  bindDn: 'lb-bindDn', bindPassword: 'lb-bindPassword', baseDn: 'lb-baseDn', scope: 'lb-scope', filter: 'lb-filter',
  loginAttribute: 'lb-loginAttribute', idAttribute: 'lb-idAttribute', managerAttribute: 'lb-managerAttribute',
  pageSize: 'lb-pageSize', timeoutMs: 'lb-timeoutMs', cacheTtlSeconds: 'lb-cacheTtlSeconds', maxDeactivateShare: 'lb-maxDeactivatePercent',
  previewLimit: 'lb-previewLimit', previewFilter: 'lb-previewFilter', key: 'lb-key', version: 'lb-save',
};

/** The control a refused field belongs to (`customerIdFrom.rules.1.dnSuffix` → the rule table's row 1). */
function controlOf(field: string, form: LdapForm): string | null {
  const [head, second, third, fourth] = field.split('.');
  if (head === undefined) return null;
  if (head === 'customerIdFrom') {
    if (form.customerIdSource !== 'rules') return `lb-cid-${form.customerIdSource}`;
    const rows = sentRules(form);
    const row = second === 'rules' && third !== undefined ? rows[Number(third)] : rows[0];
    const index = row ? form.rules.indexOf(row) : 0;
    return `lb-rule-${index}-${fourth === 'customerId' ? 'customerId' : 'dnSuffix'}`;
  }
  if (head === 'groupMapping') {
    const row = second === undefined ? undefined : sentGroups(form)[Number(second)];
    const index = row ? form.groups.indexOf(row) : 0;
    const property = third === 'group' ? 'group' : third === 'permissions' ? 'perm' : 'dn';
    return `lb-gm-${index}-${property}`;
  }
  if (head === 'groupSearch') return `lb-gs-${second === 'filter' || second === 'memberAttribute' ? second : 'baseDn'}`;
  return CONTROL_IDS[head] ?? null;
}

/** Texts per control for a value the schema refused, in the reader's language. */
function describeControl(target: string, t: Translate): string | null {
  if (target.startsWith('lb-rule-')) return t(target.endsWith('customerId') ? 'backends.errors.ruleCustomerId' : 'backends.errors.dn');
  if (target.startsWith('lb-gm-')) return t(target.endsWith('-group') ? 'backends.errors.group' : target.endsWith('-perm') ? 'backends.errors.permissions' : 'backends.errors.dn');
  const key = target.replace(/^lb-/, '').replace(/^cid-/, 'customerId-').replace(/^gs-/, 'groupSearch-');
  const known: Record<string, string> = {
    url: 'url', baseDn: 'dn', bindDn: 'dn', 'groupSearch-baseDn': 'dn', filter: 'filter', 'groupSearch-filter': 'filter', previewFilter: 'filter',
    loginAttribute: 'attribute', idAttribute: 'attribute', managerAttribute: 'attribute', 'customerId-attribute': 'attribute', 'groupSearch-memberAttribute': 'attribute',
    'customerId-constant': 'constant', 'customerId-rules': 'rules', pageSize: 'pageSize', timeoutMs: 'timeoutMs', cacheTtlSeconds: 'cacheTtlSeconds',
    maxDeactivatePercent: 'percent', previewLimit: 'previewLimit', key: 'key', tlsCa: 'tlsCa', name: 'name', scope: 'scope',
  };
  return known[key] ? t(`backends.errors.${known[key]}`) : null;
}

/** A refusal of the form, at the control it is about (map rows as on the field-map screen). */
export function ldapFormProblem(err: LoketError, form: LdapForm, t: Translate): FormProblem {
  if (err.code === 'sync_running') return { field: null, target: null, message: t('backends.errors.syncRunning') };
  const field = err.field ?? '';
  if (/^map(\.|$)/.test(field)) {
    const storage = /^map\.(\d+)\.storage$/.exec(field);
    const draft = storage ? submittedRows(form.map)[Number(storage[1])] : undefined;
    // The attribute is typed on this screen, so a refused attribute is shown at its own control.
    if (draft) {
      // A malformed name gets the translated rule; a rule across fields (the login row) keeps the service's words.
      const malformed = !ATTRIBUTE_NAME.test(draft.storage);
      return { field: `storage.${draft.formKey}`, target: `fm-${draft.formKey}-storage`, message: describeRefusal(err, t, () => (malformed ? t('backends.errors.attribute') : null)) };
    }
    return fieldMapProblem(err, form.map, t);
  }
  if (field.startsWith('customerIdFrom') && form.customerIdSource === 'rules') {
    // A union reports only "customerIdFrom"; the rules alone name the row and the property.
    const rules = sentRules(form);
    if (!rules.length) return { field: 'lb-rule-0-dnSuffix', target: 'lb-rule-0-dnSuffix', message: t('backends.errors.rules') };
    const issue = RULES_SCHEMA.safeParse({ rules: rules.map((r) => ({ dnSuffix: r.dnSuffix, customerId: r.customerId })) }).error?.issues[0];
    const precise = issue ? ['customerIdFrom', ...issue.path.map(String)].join('.') : field;
    const target = controlOf(precise, form);
    return { field: target, target, message: describeRefusal(err, t, () => (target ? describeControl(target, t) : null)) };
  }
  const target = field === '' ? null : controlOf(field, form);
  const message = describeRefusal(err, t, () => (target ? describeControl(target, t) : null));
  return { field: target, target, message };
}
