import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { NameChecks } from './assignment-names.js';
import type { CatalogueStore } from './catalogue/store.js';
import { computeEffectivePermissions, permissionIndex, type GroupGrant, type PermissionInputs } from './effective-permissions.js';
import type { GroupAssignments, ServiceAssignments } from './groups/schema.js';
import type { GroupStore } from './groups/store.js';

/** What an unsaved edit would change, for the preview. Omitted parts stay as stored. */
export interface PermissionPreview {
  groups?: GroupAssignments['groups'];
  services?: ServiceAssignments['services'];
  customerIds?: string[];
}

/** Reads what computeEffectivePermissions needs from the stores (only valid groups and services count). */
export function createEffectiveInputs(deps: { groups: GroupStore; catalogue: CatalogueStore; names: NameChecks }) {
  const { checkGroups, checkServices } = deps.names;

  /** Everything the computation needs for one user; `preview` replaces parts with unsaved values. */
  async function inputsFor(user: CustomerUserRecord, preview: PermissionPreview = {}): Promise<PermissionInputs> {
    const customerIds = [user.customerId, ...(preview.customerIds ?? user.customerIds)].filter((id, i, all) => all.indexOf(id) === i);
    const direct = preview.groups ? (await checkGroups(preview.groups)).map(({ group, permission }) => ({ group, permission })) : await deps.groups.userGrants(user.id);
    const validGroups = preview.groups ? await validOnly(direct) : direct;
    const [byCustomer, defaults, directory, types] = [await deps.groups.customerGrants(customerIds), await deps.groups.defaultGrants(), await deps.groups.directoryGrants(user.id), await deps.groups.permissionTypes()];
    const heldGroups = [...new Set([...validGroups, ...byCustomer.flatMap((c) => c.grants), ...defaults.flatMap((d) => d.grants), ...directory].map((g) => g.group))];
    const ownServices = preview.services ? await validServices(preview.services) : await deps.catalogue.validAssignedTo({ kind: 'customer-user', id: user.id });
    return {
      permissionTypes: types.map((t) => t.name),
      direct: validGroups,
      byCustomer,
      defaults,
      directory,
      services: {
        direct: ownServices,
        byCustomer: await deps.catalogue.validByCustomers(customerIds),
        byGroup: await deps.catalogue.validByGroups(heldGroups),
        defaults: await deps.catalogue.validAssignedTo({ kind: 'default' }),
        // A kept box keeps its origin: a service a form run assigned still says so in a preview.
        formRuns: await deps.catalogue.validFromFormRuns(user.id),
      },
    };
  }

  /** Unsaved grants of invalid groups count for nothing, as stored ones do. */
  async function validOnly(grants: GroupGrant[]): Promise<GroupGrant[]> {
    const valid = new Set((await deps.groups.groups.findManyByName(grants.map((g) => g.group))).filter((g) => g.validity === 'valid').map((g) => g.name));
    return grants.filter((g) => valid.has(g.group));
  }

  async function validServices(names: readonly string[]): Promise<string[]> {
    await checkServices(names);
    return (await deps.catalogue.services.findManyByName(names)).filter((s) => s.validity === 'valid').map((s) => s.name);
  }

  /** For the session: group → permissions, computed afresh on every request. */
  async function permissionIndexFor(user: CustomerUserRecord): Promise<Record<string, string[]>> {
    const customerIds = [user.customerId, ...user.customerIds];
    const [direct, byCustomer, defaults, directory, types] = [
      await deps.groups.userGrants(user.id),
      await deps.groups.customerGrants(customerIds),
      await deps.groups.defaultGrants(),
      await deps.groups.directoryGrants(user.id),
      await deps.groups.permissionTypes(),
    ];
    const effective = computeEffectivePermissions({
      permissionTypes: types.map((t) => t.name),
      direct,
      byCustomer,
      defaults,
      directory,
      services: { direct: [], byCustomer: [], byGroup: [], defaults: [] },
    });
    return permissionIndex(effective);
  }

  /**
   * What a member of one customer holds with no grants of their own: the customer's grants and the
   * defaults. A delegate working there holds at most this (intersected with their own index).
   */
  async function memberIndexFor(customerId: string): Promise<Record<string, string[]>> {
    const effective = computeEffectivePermissions({
      permissionTypes: (await deps.groups.permissionTypes()).map((t) => t.name),
      direct: [],
      byCustomer: await deps.groups.customerGrants([customerId]),
      defaults: await deps.groups.defaultGrants(),
      directory: [],
      services: { direct: [], byCustomer: [], byGroup: [], defaults: [] },
    });
    return permissionIndex(effective);
  }

  /** Services the user is entitled to (names), for pickers and checks; the caller decides access. */
  async function entitledServices(user: CustomerUserRecord): Promise<string[]> {
    return computeEffectivePermissions(await inputsFor(user)).services.map((s) => s.service);
  }

  return { inputsFor, permissionIndexFor, memberIndexFor, entitledServices };
}

export type EffectiveInputs = ReturnType<typeof createEffectiveInputs>;
