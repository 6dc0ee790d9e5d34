import { expect } from 'chai';
import { computeEffectivePermissions, permissionIndex, type PermissionInputs } from '../../plugin/access/effective-permissions.js';
import { hasGroupPermission } from '../../plugin/access/policy.js';
import type { Actor } from '../../plugin/access/actor.js';

const noServices = { direct: [], byCustomer: [], byGroup: [], defaults: [] };
const inputs = (over: Partial<PermissionInputs>): PermissionInputs => ({
  permissionTypes: ['ro', 'create', 'approve', 'rw'],
  direct: [],
  byCustomer: [],
  defaults: [],
  services: noServices,
  ...over,
});

describe('effective permissions', () => {
  it('unions direct, customer and default grants, each cell with every reason', () => {
    const result = computeEffectivePermissions(inputs({
      direct: [{ group: 'it', permission: 'ro' }],
      byCustomer: [{ customerId: '1', grants: [{ group: 'it', permission: 'ro' }] }, { customerId: '12', grants: [] }],
      defaults: [{ scope: 'customer-users', grants: [{ group: 'users', permission: 'ro' }] }, { scope: 'customers', grants: [] }],
    }));
    expect(result.groups).to.deep.equal([
      { group: 'it', permission: 'ro', reasons: [{ source: 'direct' }, { source: 'customer', customerId: '1' }] },
      { group: 'users', permission: 'ro', reasons: [{ source: 'default', scope: 'customer-users' }] },
    ]);
  });

  it('lets rw imply every other type, admin-added ones too, and says so', () => {
    const result = computeEffectivePermissions(inputs({ byCustomer: [{ customerId: 'acme', grants: [{ group: 'fac', permission: 'rw' }] }] }));
    expect(result.groups.map((g) => g.permission)).to.deep.equal(['ro', 'create', 'approve', 'rw']);
    expect(result.groups[0]!.reasons).to.deep.equal([{ source: 'customer', customerId: 'acme', impliedBy: 'rw' }]);
    expect(result.groups[3]!.reasons).to.deep.equal([{ source: 'customer', customerId: 'acme' }]);
  });

  it('adds up services from defaults, customers, held groups and the user, and ignores groups not held', () => {
    const result = computeEffectivePermissions(inputs({
      direct: [{ group: 'fac', permission: 'ro' }],
      services: {
        direct: ['IT::Laptop'],
        byCustomer: [{ customerId: '1', services: ['IT::Email'] }],
        byGroup: [{ group: 'fac', services: ['Facilities::Desk'] }, { group: 'other', services: ['Secret'] }],
        defaults: ['IT::Email'],
      },
    }));
    expect(result.services).to.deep.equal([
      { service: 'Facilities::Desk', reasons: [{ source: 'group', group: 'fac' }] },
      { service: 'IT::Email', reasons: [{ source: 'customer', customerId: '1' }, { source: 'default' }] },
      { service: 'IT::Laptop', reasons: [{ source: 'direct' }] },
    ]);
  });

  it('gives the policy module an index, where ro cannot create and rw can do everything', () => {
    const index = permissionIndex(computeEffectivePermissions(inputs({ direct: [{ group: 'it', permission: 'ro' }, { group: 'fac', permission: 'rw' }] })));
    const actor = { roles: ['customer'], groupPermissions: index } as unknown as Actor;
    expect(hasGroupPermission(actor, 'it', 'ro')).to.equal(true);
    expect(hasGroupPermission(actor, 'it', 'create')).to.equal(false);
    expect(hasGroupPermission(actor, 'it', 'rw')).to.equal(false);
    expect(hasGroupPermission(actor, 'fac', 'approve')).to.equal(true);
    expect(hasGroupPermission(actor, 'nope', 'ro')).to.equal(false);
    expect(hasGroupPermission(null, 'it', 'ro')).to.equal(false);
    expect(hasGroupPermission({ roles: ['admin', 'agent'], groupPermissions: {} } as unknown as Actor, 'anything', 'rw')).to.equal(true);
  });
});
