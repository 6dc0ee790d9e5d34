import type { Response } from 'express';
import type { Actor } from '../actor.js';
import { can } from '../policy.js';
import type { CustomerUserRecord } from '../../customers/backends/backend.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { loketBase } from '../../web/middleware/guards.js';
import type { EffectivePermissions } from '../effective-permissions.js';
import { ALL_GROUPS, ALL_SERVICES, type AccessScreenDeps } from './deps.js';
import { effectiveView, previewTexts, type CustomerNames, type EffectiveView } from './effective-view.js';
import type { TickedAssignments } from './forms.js';
import { groupGrid, serviceChecklist, type GroupGrid, type ServiceChoice } from './grids.js';

/**
 * The "Groups and services" sections embedded in the customer-user page and the customer page (both
 * views belong to the customers feature; they include views/access/partials/*-section.ejs, which reads
 * `accessSection` from the locals set here).
 */

/** What an edit of the sections shows instead of the stored state: the boxes as sent, a preview, a refusal. */
export interface SectionState {
  ticked?: TickedAssignments;
  preview?: EffectivePermissions;
  problem?: FormProblem | null;
}

export interface UserSection {
  login: string;
  editable: boolean;
  action: string;
  previewAction: string;
  apiPreview: string;
  grid: GroupGrid | null;
  services: ServiceChoice[] | null;
  effective: EffectiveView;
  preview: boolean;
  previewData: string;
  problem: FormProblem | null;
}

export interface CustomerSection {
  customerId: string;
  editable: boolean;
  action: string;
  grid: GroupGrid | null;
  services: ServiceChoice[] | null;
  granted: { group: string; permissions: string[] }[];
  assignedServices: string[];
}

const userPath = (res: Response, login: string) => `${loketBase(res)}/customer-users/${encodeURIComponent(login)}`;
const customerPath = (res: Response, customerId: string) => `${loketBase(res)}/customers/${encodeURIComponent(customerId)}`;

/** Names of the customers the reader may see; the others stay IDs (a key user sees no other tenant's name). */
async function customerNames(deps: AccessScreenDeps, actor: Actor, customerIds: readonly string[]): Promise<CustomerNames> {
  const names = new Map<string, string>();
  if (!can(actor, 'customer.read')) return names;
  for (const id of new Set(customerIds)) {
    try {
      names.set(id, (await deps.customers.get(actor, id)).name);
    } catch (err) {
      if (!(err instanceof LoketError && err.status === 404)) throw err;
    }
  }
  return names;
}

async function permissionTypeNames(deps: AccessScreenDeps): Promise<string[]> {
  return (await deps.groups.permissionTypes()).map((type) => type.name);
}

export async function loadUserSection(deps: AccessScreenDeps, res: Response, actor: Actor, user: CustomerUserRecord, state: SectionState = {}): Promise<UserSection> {
  const t = translatorOf(res);
  const editable = can(actor, 'assignment.manage');
  const types = await permissionTypeNames(deps);
  const effective = state.preview ?? (await deps.assignments.effective(actor, user.login));
  const names = await customerNames(deps, actor, [user.customerId, ...user.customerIds]);
  let grid: GroupGrid | null = null;
  let services: ServiceChoice[] | null = null;
  if (editable) {
    const target = { kind: 'customer-user', login: user.login } as const;
    const ticked = state.ticked ?? { groups: (await deps.assignments.groupsOf(actor, target)).groups, services: (await deps.assignments.servicesOf(actor, target)).services };
    grid = groupGrid('acc-u', (await deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 })).items, ticked.groups, types);
    services = serviceChecklist('acc-us', (await deps.catalogue.list(actor, { limit: ALL_SERVICES, offset: 0 })).items, ticked.services);
  }
  const path = userPath(res, user.login);
  return {
    login: user.login,
    editable,
    action: `${path}/assignments`,
    previewAction: `${path}/assignments/preview`,
    apiPreview: `${loketBase(res)}/api/v1/customer-users/${encodeURIComponent(user.login)}/effective-permissions/preview`,
    grid,
    services,
    effective: effectiveView(effective, types, names, t),
    preview: state.preview !== undefined,
    previewData: JSON.stringify(previewTexts(types, names, t)),
    problem: state.problem ?? null,
  };
}

export async function loadCustomerSection(deps: AccessScreenDeps, res: Response, actor: Actor, customerId: string): Promise<CustomerSection> {
  const editable = can(actor, 'assignment.manage');
  const target = { kind: 'customer', customerId } as const;
  const { groups: granted } = await deps.assignments.groupsOf(actor, target);
  const { services: assignedServices } = await deps.assignments.servicesOf(actor, target);
  let grid: GroupGrid | null = null;
  let services: ServiceChoice[] | null = null;
  if (editable) {
    grid = groupGrid('acc-c', (await deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 })).items, granted, await permissionTypeNames(deps));
    services = serviceChecklist('acc-cs', (await deps.catalogue.list(actor, { limit: ALL_SERVICES, offset: 0 })).items, assignedServices);
  }
  return { customerId, editable, action: `${customerPath(res, customerId)}/assignments`, grid, services, granted, assignedServices };
}
