import { expect } from 'chai';
import { FilterParser } from 'ldapts';
import { fieldMapSchema, linkFor } from '../../plugin/customers/field-map.js';
import { loginFilter } from '../../plugin/customers/backends/ldap/filters.js';
import { customerIdOf, mapEntry, normaliseDn, unknownAttributes } from '../../plugin/customers/backends/ldap/mapper.js';
import { previewFilter } from '../../plugin/customers/backends/ldap/preview.js';
import type { DirectoryEntry } from '../../plugin/customers/backends/ldap/directory.js';
import type { LdapSettings } from '../../plugin/customers/backends/ldap/settings.js';

const ALWAYS = '(objectClass=inetOrgPerson)';
/** The assertion value of the login part, as sent to the server. */
const sent = (login: string) => loginFilter(ALWAYS, 'uid', login).slice(`(&${ALWAYS}(uid=`.length, -2);

describe('LDAP filters: RFC 4515 escaping of user input', () => {
  it('escapes the RFC 4515 §4 examples', () => {
    expect(sent('Parens R Us (for all your parenthetical needs)')).to.equal('Parens R Us \\28for all your parenthetical needs\\29');
    expect(sent('*')).to.equal('\\2a');
    expect(sent('C:\\MyFile')).to.equal('C:\\5cMyFile');
    expect(sent('\u0000\u0000\u0000\u0004')).to.match(/^\\00\\00\\00/);
    // Non-ASCII may go as UTF-8 unescaped (RFC 4515 §3); it must survive intact.
    expect(sent('Lučić')).to.equal('Lučić');
  });

  it('escapes each special character and NUL', () => {
    expect(sent('a*b')).to.equal('a\\2ab');
    expect(sent('a(b')).to.equal('a\\28b');
    expect(sent('a)b')).to.equal('a\\29b');
    expect(sent('a\\b')).to.equal('a\\5cb');
    expect(sent('a\u0000b')).to.equal('a\\00b');
  });

  it('escapes pre-escaped input again, so it stays literal', () => {
    expect(sent('\\2a')).to.equal('\\5c2a');
    expect(sent('jdevries\\29')).to.equal('jdevries\\5c29');
  });

  it('keeps an injection attempt one literal value inside the AND with the always-filter', () => {
    const filter = loginFilter(ALWAYS, 'uid', 'x)(|(uid=*)');
    expect(filter).to.equal('(&(objectClass=inetOrgPerson)(uid=x\\29\\28|\\28uid=\\2a\\29))');
    const parsed = FilterParser.parseString(filter);
    expect(parsed.toString()).to.equal(filter);
  });

  it('combines the preview filter as filter objects and refuses a broken one', () => {
    expect(previewFilter(ALWAYS, '(o=Acme)')).to.equal('(&(objectClass=inetOrgPerson)(o=Acme))');
    expect(previewFilter(ALWAYS, undefined)).to.equal(ALWAYS);
    expect(() => previewFilter(ALWAYS, 'o=Acme)(uid=*')).to.throw(/filter/);
  });
});

describe('LDAP mapper', () => {
  const settings: Pick<LdapSettings, 'map' | 'loginAttribute' | 'idAttribute' | 'customerIdFrom' | 'managerAttribute'> = {
    map: fieldMapSchema.parse([
      { key: 'firstName', storage: 'givenName' },
      { key: 'lastName', storage: 'sn' },
      { key: 'login', storage: 'uid' },
      { key: 'email', storage: 'mail', type: 'email' },
      { key: 'customerId', storage: 'o' },
      { key: 'photo', label: 'Photo', storage: 'jpegPhoto' },
      { key: 'homepage', label: 'Home page', storage: 'labeledURI', link: '{{homepage}}' },
      { key: 'room', label: 'Room', storage: 'roomNumber', required: true },
    ]),
    loginAttribute: 'uid',
    idAttribute: 'entryUUID',
    customerIdFrom: { rules: [{ dnSuffix: 'ou=people,dc=x', customerId: 'all' }, { dnSuffix: 'OU=Acme, ou=people,dc=x', customerId: 'acme' }] },
    managerAttribute: 'manager',
  };
  const entry = (dn: string, attributes: DirectoryEntry['attributes']): DirectoryEntry => ({
    dn,
    attributes: { entryuuid: ['id-1'], uid: ['jan'], givenname: ['Jan'], sn: ['Vries'], mail: ['jan@acme.example'], roomnumber: ['1.01'], ...attributes },
  });

  it('takes the first of several values and says so', () => {
    const mapped = mapEntry(entry('uid=jan,ou=acme,ou=people,dc=x', { mail: ['jan@acme.example', 'j@acme.example'] }), settings);
    expect(mapped.email).to.equal('jan@acme.example');
    expect(mapped.warnings).to.deep.include({ key: 'email', kind: 'multi-valued', detail: '2 values, the first is used' });
    expect(mapped.problems).to.deep.equal([]);
  });

  it('turns a binary value into a warning, never into text or a crash', () => {
    const mapped = mapEntry(entry('uid=jan,ou=acme,ou=people,dc=x', { jpegphoto: [Buffer.from([0xff, 0xd8, 0x00, 0xff])] }), settings);
    expect(mapped.fields.photo).to.equal(null);
    expect(mapped.warnings).to.deep.include({ key: 'photo', kind: 'binary', detail: '4 bytes' });
  });

  it('names a missing required field, a missing e-mail and a missing login as problems', () => {
    const mapped = mapEntry(entry('uid=jan,ou=acme,ou=people,dc=x', { roomnumber: [], mail: [], uid: [] }), settings);
    expect(mapped.warnings).to.deep.include({ key: 'room', kind: 'missing-required' });
    expect(mapped.problems).to.include.members(['missing-required', 'no-email', 'no-login']);
  });

  it('takes the customer from the longest matching DN suffix, comparing DNs without case and spaces', () => {
    expect(customerIdOf(entry('uid=jan,ou=acme,ou=people,dc=x', {}), settings.customerIdFrom)).to.equal('acme');
    expect(customerIdOf(entry('uid=kim,ou=other,ou=people,dc=x', {}), settings.customerIdFrom)).to.equal('all');
    expect(customerIdOf(entry('uid=kim,ou=elsewhere,dc=y', {}), settings.customerIdFrom)).to.equal(null);
    // A suffix matches whole RDNs only: "xou=people,dc=x" is not below "ou=people,dc=x".
    expect(customerIdOf(entry('uid=kim,xou=people,dc=x', {}), settings.customerIdFrom)).to.equal(null);
    expect(normaliseDn('UID=Jan , OU=Acme,dc=X')).to.equal('uid=jan,ou=acme,dc=x');
  });

  it('maps a javascript: URL as text but never makes it a link', () => {
    const mapped = mapEntry(entry('uid=jan,ou=acme,ou=people,dc=x', { labeleduri: ['javascript:alert(1)'] }), settings);
    const row = settings.map.find((r) => r.key === 'homepage')!;
    expect(mapped.fields.homepage).to.equal('javascript:alert(1)');
    expect(linkFor(row, mapped.fields)).to.equal(null);
    // The value is encoded into the template, so it can never supply the scheme of the link.
    expect(linkFor({ ...row, link: 'https://intranet.example/?u={{homepage}}' }, mapped.fields)).to.equal('https://intranet.example/?u=javascript%3Aalert(1)');
  });

  it('warns about map attributes none of the entries has', () => {
    const warnings = unknownAttributes([entry('uid=jan,ou=acme,ou=people,dc=x', {})], settings);
    expect(warnings.map((w) => w.detail)).to.have.members(['o', 'jpegPhoto', 'labeledURI']);
  });
});
