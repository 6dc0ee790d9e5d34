import { expect } from 'chai';
import { checkDbMap } from '../../plugin/customers/backends/db/backend.js';
import { DEFAULT_DB_MAP, fieldMapSchema, linkFor, shortViewRows, validateFieldValues, type FieldMapRow } from '../../plugin/customers/field-map.js';

const room: FieldMapRow = { key: 'room', label: 'Kamer', storage: 'extra.room', shown: 1, required: false, type: 'var', readOnly: false, search: true };

describe('field map', () => {
  it('accepts the default map plus a custom field stored in extra.<name>', () => {
    const map = fieldMapSchema.parse([...DEFAULT_DB_MAP, room]);
    expect(() => checkDbMap(map)).not.to.throw();
  });

  it('refuses maps without a core field, with a key twice, a reserved key or a select without options', () => {
    const failsWith = (rows: unknown[]) => fieldMapSchema.safeParse(rows).error?.issues[0]?.message;
    expect(failsWith(DEFAULT_DB_MAP.filter((r) => r.key !== 'email'))).to.equal('the map must contain email');
    expect(failsWith([...DEFAULT_DB_MAP, room, room])).to.equal('key room appears twice');
    expect(failsWith([...DEFAULT_DB_MAP, { ...room, key: 'validity' }])).to.equal('validity is reserved');
    expect(failsWith([...DEFAULT_DB_MAP, { ...room, type: 'select' }])).to.equal('a select field needs options');
    expect(failsWith([...DEFAULT_DB_MAP, { ...room, label: undefined }])).to.equal('a custom field needs a label');
  });

  it('keeps core fields required whatever the map says', () => {
    const map = fieldMapSchema.parse(DEFAULT_DB_MAP.map((r) => ({ ...r, required: false })));
    expect(map.filter((r) => r.required).map((r) => r.key)).to.deep.equal(['firstName', 'lastName', 'login', 'email', 'customerId']);
  });

  it('refuses database storage that does not fit the backend', () => {
    expect(() => checkDbMap([...DEFAULT_DB_MAP, { ...room, storage: 'password_hash' }])).to.throw(/extra\.<name>/);
    expect(() => checkDbMap([...DEFAULT_DB_MAP.map((r) => (r.key === 'phone' ? { ...r, storage: 'fax' } : r))])).to.throw(/phone is stored in phone/);
    expect(() => checkDbMap([...DEFAULT_DB_MAP, room, { ...room, key: 'office' }])).to.throw(/used twice/);
  });

  it('validates values by type and names the field', () => {
    const map = fieldMapSchema.parse([
      ...DEFAULT_DB_MAP,
      { key: 'floor', label: 'Floor', storage: 'extra.floor', type: 'int' },
      { key: 'since', label: 'Since', storage: 'extra.since', type: 'date' },
      { key: 'site', label: 'Site', storage: 'extra.site', type: 'select', options: ['Oslo', 'Utrecht'] },
    ]);
    const base = { login: 'a', email: 'A@Example.test', customerId: 'c', firstName: 'A', lastName: 'B' };
    expect(validateFieldValues(map, { ...base, floor: '3', since: '2026-02-28', site: 'Oslo' }, { partial: false })).to.include({ floor: 3, since: '2026-02-28', site: 'Oslo', email: 'a@example.test' });
    const fieldOf = (input: Record<string, unknown>, partial = false) => {
      try {
        validateFieldValues(map, input, { partial });
        return null;
      } catch (err) {
        return (err as { field?: string }).field;
      }
    };
    expect(fieldOf({ ...base, lastName: '' })).to.equal('lastName');
    expect(fieldOf({ ...base, floor: 'three' })).to.equal('floor');
    expect(fieldOf({ ...base, since: '2026-02-30' })).to.equal('since');
    expect(fieldOf({ ...base, site: 'Paris' })).to.equal('site');
    expect(fieldOf({ ...base, email: 'not-an-address' })).to.equal('email');
    expect(fieldOf({ ...base, title: ['Dr'] })).to.equal('title');
    expect(fieldOf({ ...base, comment: { $gt: '' } })).to.equal('comment');
    expect(fieldOf({ phone: '123' }, true)).to.equal(null);
  });

  it('renders links only with safe schemes and encoded values', () => {
    const email = DEFAULT_DB_MAP.find((r) => r.key === 'email')!;
    expect(linkFor(email, { email: 'kari@example.test' })).to.equal('mailto:kari@example.test');
    const evil: FieldMapRow = { ...room, link: 'javascript:alert({{room}})' };
    expect(linkFor(evil, { room: '1' })).to.equal(null);
    const search: FieldMapRow = { ...room, link: 'https://maps.example/?q={{room}}' };
    expect(linkFor(search, { room: 'a&b "c"' })).to.equal('https://maps.example/?q=a%26b%20%22c%22');
    const injected: FieldMapRow = { ...room, link: '{{room}}' };
    expect(linkFor(injected, { room: 'javascript:alert(1)' })).to.equal(null);
    expect(linkFor(search, { room: null })).to.equal(null);
  });

  it('shows the short view from rows marked 2, or 1 when none is', () => {
    expect(shortViewRows(DEFAULT_DB_MAP).map((r) => r.key)).to.deep.equal(['firstName', 'lastName', 'login', 'email', 'customerId']);
    expect(shortViewRows(DEFAULT_DB_MAP.map((r) => ({ ...r, shown: r.shown === 2 ? 1 : r.shown })))).to.have.length(14);
  });
});
