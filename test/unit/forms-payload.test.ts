import { expect } from 'chai';
import { canonicalJson, payloadHash } from '../../plugin/forms/payload.js';
import { shippedForms } from '../../plugin/forms/shipped.js';

describe('forms payload hash', function () {
  const base = { formKey: 'grant-group-access', version: 3, target: { kind: 'customer-user', id: 12 }, values: { group: 'sales', note: null } };

  it('is the same for the same payload whatever the key order', function () {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: true } })).to.equal('{"a":{"c":true,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(payloadHash(base)).to.equal(payloadHash({ values: { note: null, group: 'sales' }, target: { id: 12, kind: 'customer-user' }, version: 3, formKey: 'grant-group-access' }));
    expect(payloadHash(base)).to.match(/^[0-9a-f]{64}$/);
  });

  it('changes with the form, the version, the target or any value', function () {
    const hashes = [
      payloadHash(base),
      payloadHash({ ...base, formKey: 'other' }),
      payloadHash({ ...base, version: 4 }),
      payloadHash({ ...base, target: { kind: 'customer-user', id: 13 } }),
      payloadHash({ ...base, values: { group: 'sales', note: '' } }),
      payloadHash({ ...base, values: { group: 'Sales', note: null } }),
    ];
    expect(new Set(hashes).size).to.equal(hashes.length);
  });
});

describe('shipped forms', function () {
  it('fit the definition schema, with and without helpdesk groups', function () {
    const keys = shippedForms({ queue: 'Service desk' }).map((f) => f.key);
    expect(keys).to.include.members(['reset-password', 'create-customer-user', 'deactivate-customer-user', 'grant-group-access', 'request-service', 'request-by-ticket']);
    const reset = shippedForms({ queue: 'Service desk', agentGroups: ['users'] }).find((f) => f.key === 'reset-password');
    expect(reset?.audience).to.deep.equal(['agent', 'key-user']);
  });
});
