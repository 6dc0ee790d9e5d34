import type { Translate } from '../../customers/pages/form-errors.js';
import type { EffectivePermissions, GroupReason, ServiceReason } from '../effective-permissions.js';

/** The effective permissions as the table shows them: group × type, each held cell with its reasons in words. */
export interface EffectiveView {
  types: string[];
  rows: { group: string; cells: { permission: string; reasons: string[] }[] }[];
  services: { service: string; reasons: string[] }[];
}

/** Customer ID → name, for the customers the reader may see (others are named by their ID only). */
export type CustomerNames = ReadonlyMap<string, string>;

function customerWords(customerId: string, names: CustomerNames, t: Translate): string {
  const name = names.get(customerId);
  return name === undefined ? t('accessScreens.reasons.customerId', { customerId }) : t('accessScreens.reasons.customer', { name, customerId });
}

export function groupReasonWords(reason: GroupReason, names: CustomerNames, t: Translate): string {
  let words: string;
  switch (reason.source) {
    case 'direct':
      words = t('accessScreens.reasons.direct');
      break;
    case 'customer':
      words = customerWords(reason.customerId, names, t);
      break;
    case 'default':
      words = reason.scope === 'customers' ? t('accessScreens.reasons.defaultCustomers') : t('accessScreens.reasons.defaultUsers');
      break;
    case 'directory':
      words = t('accessScreens.reasons.directory', { dn: reason.ldapGroupDn, backend: reason.backend });
      break;
    default:
      words = t('accessScreens.reasons.delegation', { id: reason.delegationId });
  }
  return reason.impliedBy === undefined ? words : t('accessScreens.reasons.implied', { reason: words, strongest: reason.impliedBy });
}

export function serviceReasonWords(reason: ServiceReason, names: CustomerNames, t: Translate): string {
  switch (reason.source) {
    case 'direct':
      return t('accessScreens.reasons.direct');
    case 'customer':
      return customerWords(reason.customerId, names, t);
    case 'group':
      return t('accessScreens.reasons.group', { group: reason.group });
    case 'form-run':
      return t('accessScreens.reasons.formRun', { id: reason.runId });
    default:
      return t('accessScreens.reasons.defaultServices');
  }
}

export function effectiveView(effective: EffectivePermissions, types: readonly string[], names: CustomerNames, t: Translate): EffectiveView {
  const groups = [...new Set(effective.groups.map((g) => g.group))];
  const cell = (group: string, permission: string) => effective.groups.find((g) => g.group === group && g.permission === permission);
  return {
    types: [...types],
    rows: groups.map((group) => ({
      group,
      cells: types.map((permission) => ({ permission, reasons: (cell(group, permission)?.reasons ?? []).map((r) => groupReasonWords(r, names, t)) })),
    })),
    services: effective.services.map((s) => ({ service: s.service, reasons: s.reasons.map((r) => serviceReasonWords(r, names, t)) })),
  };
}

/**
 * What public/js/effective-preview.js needs to draw the same table from the API's answer: the types in
 * order, the customers' names and the texts with `%NAME%`-style slots it fills in itself.
 */
export function previewTexts(types: readonly string[], names: CustomerNames, t: Translate) {
  return {
    types: [...types],
    customers: Object.fromEntries(names),
    texts: {
      direct: t('accessScreens.reasons.direct'),
      customer: t('accessScreens.reasons.customer', { name: '%NAME%', customerId: '%ID%' }),
      customerId: t('accessScreens.reasons.customerId', { customerId: '%ID%' }),
      defaultUsers: t('accessScreens.reasons.defaultUsers'),
      defaultCustomers: t('accessScreens.reasons.defaultCustomers'),
      defaultServices: t('accessScreens.reasons.defaultServices'),
      delegation: t('accessScreens.reasons.delegation', { id: '%ID%' }),
      directory: t('accessScreens.reasons.directory', { dn: '%DN%', backend: '%BACKEND%' }),
      group: t('accessScreens.reasons.group', { group: '%GROUP%' }),
      implied: t('accessScreens.reasons.implied', { reason: '%REASON%', strongest: '%STRONGEST%' }),
      formRun: t('accessScreens.reasons.formRun', { id: '%ID%' }),
      notHeld: t('accessScreens.effective.notHeld'),
      noGroups: t('accessScreens.effective.noGroups'),
      noServices: t('accessScreens.effective.noServices'),
      groupsCaptionPreview: t('accessScreens.effective.groupsCaptionPreview'),
      servicesCaptionPreview: t('accessScreens.effective.servicesCaptionPreview'),
      previewStatus: t('accessScreens.effective.previewStatus'),
      previewFailed: t('accessScreens.effective.previewFailed'),
    },
  };
}
