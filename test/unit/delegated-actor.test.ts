import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { ownKeyUserOf } from '../../plugin/access/actor.js';
import { customerScope, hasGroupPermission, workingCustomerIds } from '../../plugin/access/policy.js';
import { delegatedActor, intersectPermissions } from '../../plugin/delegation/delegated-actor.js';
import { delegationStatus, deputyStatus, endOf } from '../../plugin/delegation/types.js';

const consultant: Actor = {
  kind: 'customer',
  principal: { type: 'customer-user', id: 7 },
  login: 'consultant', displayName: 'Con Sultant', email: 'con@example.test',
  roles: ['customer', 'key-user', 'manager'],
  customerId: 'D', customerIds: ['D', 'D2'], keyUserOf: ['D'],
  groupPermissions: { users: ['ro', 'create'], 'it-support': ['rw'], 'd-only': ['rw'] },
  effectiveCustomerId: 'D', delegation: null,
  deputyFor: [{ deputyId: 1, principalId: 9, login: 'boss', name: 'Boss', keyUserOf: ['D2'], manager: true, endsAt: '2999-01-01T00:00:00.000Z' }],
  authenticatedBy: 'session', language: null,
};

describe('delegated actor', () => {
  it('holds only what both the own account and a member of the organisation hold (rw standing for every type)', () => {
    const result = intersectPermissions(consultant.groupPermissions, { users: ['ro'], 'it-support': ['ro', 'create'], 'c-only': ['rw'] });
    expect(result).to.deep.equal({ users: ['ro'], 'it-support': ['ro', 'create'] });
    expect(intersectPermissions({ a: ['ro'] }, { a: ['rw'] })).to.deep.equal({ a: ['ro'] });
    expect(intersectPermissions({}, { a: ['rw'] })).to.deep.equal({});
  });

  it('works in C only: tenant, customers, key-user marks; home reports and holiday cover stay at home', () => {
    const member = { users: ['ro', 'create'], 'it-support': ['rw'] };
    const asCustomer = delegatedActor(consultant, { id: 3, customerId: 'C', customerName: 'Cee', role: 'customer', endsAt: null }, member);
    expect(asCustomer.login).to.equal('consultant');
    expect(asCustomer.roles).to.deep.equal(['customer']);
    expect(asCustomer.keyUserOf).to.deep.equal([]);
    expect(asCustomer.deputyFor).to.deep.equal([]);
    expect(workingCustomerIds(asCustomer)).to.deep.equal(['C']);
    expect(hasGroupPermission(asCustomer, 'd-only', 'ro')).to.equal(false);
    expect(hasGroupPermission(asCustomer, 'it-support', 'rw')).to.equal(true);
    expect(ownKeyUserOf(asCustomer), 'a delegated session manages nothing').to.deep.equal([]);

    const asKeyUser = delegatedActor(consultant, { id: 3, customerId: 'C', customerName: 'Cee', role: 'key-user', endsAt: null }, member);
    expect(asKeyUser.keyUserOf).to.deep.equal(['C']);
    expect(customerScope(asKeyUser)).to.deep.equal({ kind: 'customers', customerIds: ['C'] });
  });

  it('tells own key-user marks from those held as a deputy', () => {
    expect(ownKeyUserOf({ ...consultant, keyUserOf: ['D', 'D2'] })).to.deep.equal(['D']);
  });

  it('reads status and ends from the stored times', () => {
    const now = '2026-12-04T12:00:00.000Z';
    expect(delegationStatus({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: null, revokedAt: null }, now)).to.equal('active');
    expect(delegationStatus({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: now, revokedAt: null }, now)).to.equal('expired');
    expect(delegationStatus({ startsAt: '2026-12-05T00:00:00.000Z', endsAt: null, revokedAt: null }, now)).to.equal('scheduled');
    expect(delegationStatus({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: null, revokedAt: now }, now)).to.equal('revoked');
    expect(deputyStatus({ startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-03T00:00:00.000Z', revokedAt: null }, now)).to.equal('ended');
    expect(endOf('2026-12-11')).to.equal('2026-12-11T23:59:59.999Z');
    expect(endOf('2026-12-11T10:00:00Z')).to.equal('2026-12-11T10:00:00.000Z');
  });
});
