import { expect } from 'chai';
import type { Actor, Role } from '../../plugin/access/actor.js';
import { parsePrincipalKey, principalKey } from '../../plugin/access/actor.js';
import { can, homePathFor, requireCapability } from '../../plugin/access/policy.js';

const actor = (roles: Role[]): Actor => ({
  kind: roles.includes('admin') ? 'admin' : roles.includes('agent') ? 'agent' : 'customer',
  principal: { type: roles.includes('agent') ? 'agent' : 'customer-user', id: 1 },
  login: 'x', displayName: 'X', email: null, roles, customerId: null, customerIds: [], keyUserOf: [], groupPermissions: {}, effectiveCustomerId: null,
  delegation: null, deputyFor: [], authenticatedBy: 'session', language: null,
});

describe('policy', () => {
  it('grants areas by role', () => {
    expect(can(actor(['admin', 'agent']), 'admin.use')).to.equal(true);
    expect(can(actor(['agent']), 'admin.use')).to.equal(false);
    expect(can(actor(['agent']), 'agent.use')).to.equal(true);
    expect(can(actor(['customer']), 'agent.use')).to.equal(false);
    expect(can(actor(['customer']), 'portal.use')).to.equal(true);
    expect(can(null, 'portal.use')).to.equal(false);
  });

  it('throws 401 for nobody and 403 for the wrong role', () => {
    expect(() => requireCapability(null, 'agent.use')).to.throw().with.property('status', 401);
    expect(() => requireCapability(actor(['customer']), 'agent.use')).to.throw().with.property('status', 403);
    expect(requireCapability(actor(['agent']), 'agent.use').login).to.equal('x');
  });

  it('sends each role to its own area', () => {
    expect(homePathFor(actor(['admin', 'agent']))).to.equal('/admin');
    expect(homePathFor(actor(['agent']))).to.equal('/agent');
    expect(homePathFor(actor(['customer']))).to.equal('/portal');
  });

  it('reads only well-formed principal keys from a session', () => {
    expect(parsePrincipalKey(principalKey({ type: 'agent', id: 12 }))).to.deep.equal({ type: 'agent', id: 12 });
    for (const bad of ['agent:', 'admin:1', 'agent:1; drop', 42, null, 'customer-user:1e3']) {
      expect(parsePrincipalKey(bad), String(bad)).to.equal(null);
    }
  });
});
