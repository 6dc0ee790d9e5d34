/**
 * The data of the effective-permissions bench as a plain plan: 50 groups, 5 customers, defaults and 200
 * services, and which of them one customer user holds directly, through each of their five customers,
 * through the groups they hold, and by default. The same plan is created in the database through Loket's
 * services (./setup.ts) and turned into the pure computation's inputs here, so the in-process figures and
 * the service call work on the same sizes.
 */
import type { DefaultScope, GroupGrant, PermissionInputs } from '../../plugin/access/effective-permissions.js';

export const GROUPS = 50;
export const CUSTOMERS = 5;
export const AREAS = 20;
export const SERVICES_PER_AREA = 9;

/** The built-in permission types, weakest first, as the migration seeds them. */
export const PERMISSION_TYPES = ['ro', 'create', 'rw'] as const;

export interface Plan {
  groups: string[];
  /** Primary customer first, then the four extra ones. */
  customers: string[];
  /** Catalogue order: each area, then its children. */
  services: string[];
  userGrants: GroupGrant[];
  customerGrants: { customerId: string; grants: GroupGrant[] }[];
  defaultGrants: { scope: DefaultScope; grants: GroupGrant[] }[];
  userServices: string[];
  customerServices: { customerId: string; services: string[] }[];
  groupServices: { group: string; services: string[] }[];
  defaultServices: string[];
  /** The group whose members matrix is measured (it gets the bulk of customer-user members). */
  matrixGroup: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Mixed permissions, so some cells are direct and some implied by `rw`. */
const permissionsFor = (n: number): string[] => (n % 3 === 0 ? ['rw'] : n % 3 === 1 ? ['ro'] : ['ro', 'create']);
const grantsOf = (groups: string[], numbers: number[]): GroupGrant[] =>
  numbers.flatMap((n) => permissionsFor(n).map((permission) => ({ group: groups[n - 1]!, permission })));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function makePlan(tag: string): Plan {
  const groups = range(1, GROUPS).map((n) => `bench-group-${pad(n)}`);
  const customers = range(1, CUSTOMERS).map((n) => `bench-${tag}-c${n}`);
  const services = range(1, AREAS).flatMap((a) => [`Area ${pad(a)}`, ...range(1, SERVICES_PER_AREA).map((s) => `Area ${pad(a)}::Service ${s}`)]);
  const numbers = range(1, GROUPS);
  const indices = services.map((_, i) => i);
  return {
    groups,
    customers,
    services,
    // Direct: the first 20 groups.
    userGrants: grantsOf(groups, range(1, 20)),
    // Each customer about a quarter of the groups, overlapping the direct ones and each other; together all 50.
    customerGrants: customers.map((customerId, k) => ({ customerId, grants: grantsOf(groups, numbers.filter((n) => (n + k) % 4 === 0)) })),
    defaultGrants: [
      { scope: 'customer-users', grants: range(41, 45).map((n) => ({ group: groups[n - 1]!, permission: 'ro' })) },
      { scope: 'customers', grants: range(46, 50).map((n) => ({ group: groups[n - 1]!, permission: n === 50 ? 'rw' : 'create' })) },
    ],
    userServices: indices.filter((i) => i % 7 === 0).map((i) => services[i]!),
    customerServices: customers.map((customerId, k) => ({ customerId, services: indices.filter((i) => (i + k) % 5 === 0).map((i) => services[i]!) })),
    groupServices: groups.map((group, g) => ({ group, services: range(0, 3).map((j) => services[(g * 4 + j) % services.length]!) })),
    defaultServices: services.filter((name) => !name.includes('::')),
    matrixGroup: groups[GROUPS - 1]!,
  };
}

/** The pure computation's inputs for the plan's user, shaped as plugin/access/effective-inputs.ts builds them. */
export function inputsOf(plan: Plan): PermissionInputs {
  const held = new Set([...plan.userGrants, ...plan.customerGrants.flatMap((c) => c.grants), ...plan.defaultGrants.flatMap((d) => d.grants)].map((g) => g.group));
  return {
    permissionTypes: PERMISSION_TYPES,
    direct: plan.userGrants,
    byCustomer: plan.customerGrants,
    defaults: plan.defaultGrants,
    services: {
      direct: plan.userServices,
      byCustomer: plan.customerServices,
      byGroup: plan.groupServices.filter((g) => held.has(g.group)),
      defaults: plan.defaultServices,
    },
  };
}
