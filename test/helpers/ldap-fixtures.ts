import { DEFAULT_SUFFIX, ldifEntry, readerDnFor, sshaHash, type LdifAttributes } from './slapd.js';

/**
 * The LDAP test directory: two customers (one OU each), contractors without a customer, and the people
 * that break naive code (accents, non-Latin scripts, several mail values, binary photo, markup, no mail,
 * disabled, the same uid in two OUs, a uid with a literal '*').
 */
export type FixtureOu = 'acme' | 'fjord' | 'contractors';

export interface FixturePerson {
  uid: string;
  ou: FixtureOu;
  cn: string;
  sn: string;
  givenName: string;
  mail: string[];
  /** Any further attributes (displayName, jpegPhoto, manager as a uid in the same OU, ...). */
  extra?: LdifAttributes;
  managerUid?: string;
}

/** A few real JPEG bytes (SOI, APP0/JFIF header, EOI), including 0x00 and 0xFF. */
export const FIXTURE_PHOTO = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);

export const FIXTURE_MARKUP = {
  displayName: '<img src=x onerror=alert(1)>',
  cn: '<script>alert(1)</script>',
  labeledURI: 'javascript:alert(1)',
};

const O: Record<FixtureOu, string> = { acme: 'Acme', fjord: 'Fjord Helse', contractors: 'Contractors' };

export const FIXTURE_PEOPLE: readonly FixturePerson[] = [
  { uid: 'jdevries', ou: 'acme', cn: 'Jan de Vries', sn: 'de Vries', givenName: 'Jan', mail: ['jan.devries@acme.example'] },
  { uid: 'smuller', ou: 'acme', cn: 'José Müller-Lüdenscheidt', sn: 'Müller-Lüdenscheidt', givenName: 'José', mail: ['jose.muller@acme.example'] },
  { uid: 'wxiuying', ou: 'acme', cn: '王秀英', sn: '王', givenName: '秀英', mail: ['wang.xiuying@acme.example'] },
  { uid: 'multimail', ou: 'acme', cn: 'Multi Mail', sn: 'Mail', givenName: 'Multi', mail: ['multi.mail@acme.example', 'mm@acme.example'] },
  { uid: 'photo', ou: 'acme', cn: 'Pia Photo', sn: 'Photo', givenName: 'Pia', mail: ['pia.photo@acme.example'], extra: { jpegPhoto: FIXTURE_PHOTO } },
  {
    uid: 'markup',
    ou: 'acme',
    cn: FIXTURE_MARKUP.cn,
    sn: 'Markup',
    givenName: 'Mark',
    mail: ['markup@acme.example'],
    extra: { displayName: FIXTURE_MARKUP.displayName, labeledURI: FIXTURE_MARKUP.labeledURI },
  },
  { uid: 'nomail', ou: 'acme', cn: 'Noor Nomail', sn: 'Nomail', givenName: 'Noor', mail: [] },
  { uid: 'disabled', ou: 'acme', cn: 'Dirk Disabled', sn: 'Disabled', givenName: 'Dirk', mail: ['dirk.disabled@acme.example'], extra: { employeeType: 'disabled' } },
  { uid: 'dup', ou: 'acme', cn: 'Dup Acme', sn: 'Acme', givenName: 'Dup', mail: ['dup@acme.example'] },
  // uid syntax (directoryString) accepts '*': an unescaped (uid=a*) also matches aodegard.
  { uid: 'a*', ou: 'acme', cn: 'Asterisk Literal', sn: 'Literal', givenName: 'Asterisk', mail: ['a-star@acme.example'] },
  { uid: 'star', ou: 'acme', cn: 'Star * (Asterisk)', sn: '*', givenName: 'Star', mail: ['star@acme.example'] },
  { uid: 'aodegard', ou: 'fjord', cn: 'Åse Ødegård', sn: 'Ødegård', givenName: 'Åse', mail: ['ase.odegard@fjord.example'], managerUid: 'dmitri' },
  { uid: 'dmitri', ou: 'fjord', cn: 'Дмитрий Иванов', sn: 'Иванов', givenName: 'Дмитрий', mail: ['dmitri.ivanov@fjord.example'] },
  { uid: 'dup', ou: 'fjord', cn: 'Dup Fjord', sn: 'Fjord', givenName: 'Dup', mail: ['dup@fjord.example'] },
  { uid: 'ext1', ou: 'contractors', cn: 'Erik Extern', sn: 'Extern', givenName: 'Erik', mail: ['erik@contractor.example'] },
];

/**
 * uid → password, for every fixture person. Both `dup` entries share one password, so the ambiguity
 * cannot be settled by trying binds. aodegard's password is non-ASCII (UTF-8 on the wire).
 */
export const FIXTURE_PASSWORDS: Record<string, string> = {
  jdevries: 'jdevries-pass-1',
  smuller: 'smuller-pass-1',
  wxiuying: '王秀英-pass-1',
  multimail: 'multimail-pass-1',
  photo: 'photo-pass-1',
  markup: 'markup-pass-1',
  nomail: 'nomail-pass-1',
  disabled: 'disabled-pass-1',
  dup: 'dup-pass-1',
  'a*': 'a-star-pass-1',
  star: 'star-pass-1',
  aodegard: 'Ødegård-pass-1',
  dmitri: 'dmitri-pass-1',
  ext1: 'ext1-pass-1',
};

/** Members of cn=helpdesk-users: acme and fjord people. */
const HELPDESK_USERS: readonly [string, FixtureOu][] = [
  ['jdevries', 'acme'],
  ['smuller', 'acme'],
  ['wxiuying', 'acme'],
  ['aodegard', 'fjord'],
  ['dmitri', 'fjord'],
];

export function fixtureDns(suffix: string) {
  const people = `ou=people,${suffix}`;
  const groups = `ou=groups,${suffix}`;
  const ou = (name: FixtureOu) => `ou=${name},${people}`;
  return {
    people,
    acme: ou('acme'),
    fjord: ou('fjord'),
    contractors: ou('contractors'),
    groups,
    helpdeskUsers: `cn=helpdesk-users,${groups}`,
    helpdeskAdmins: `cn=helpdesk-admins,${groups}`,
    emptyGroup: `cn=empty-group,${groups}`,
    reader: readerDnFor(suffix),
    /** The DN of a fixture person (uids are plain ASCII without DN specials except '*', which needs no escape). */
    user: (uid: string, inOu: FixtureOu) => `uid=${uid},${ou(inOu)}`,
  };
}

const count = (ou: FixtureOu) => FIXTURE_PEOPLE.filter((p) => p.ou === ou).length;

/** DNs for the default suffix, and counts tests assert against. */
export const FIXTURE = {
  suffix: DEFAULT_SUFFIX,
  ...fixtureDns(DEFAULT_SUFFIX),
  counts: {
    acme: count('acme'),
    fjord: count('fjord'),
    contractors: count('contractors'),
    people: FIXTURE_PEOPLE.length,
    /** People not excluded by the backend's always-filter (!(employeeType=disabled)). */
    enabled: FIXTURE_PEOPLE.filter((p) => p.extra?.employeeType !== 'disabled').length,
    helpdeskUsers: HELPDESK_USERS.length,
  },
  helpdeskUserUids: HELPDESK_USERS.map(([uid]) => uid),
};

function personLdif(person: FixturePerson, dns: ReturnType<typeof fixtureDns>): string {
  const password = FIXTURE_PASSWORDS[person.uid];
  if (password === undefined) throw new Error(`no fixture password for ${person.uid}`);
  const attributes: LdifAttributes = {
    objectClass: 'inetOrgPerson',
    uid: person.uid,
    cn: person.cn,
    sn: person.sn,
    givenName: person.givenName,
    telephoneNumber: `+31 30 555 ${String(FIXTURE_PEOPLE.indexOf(person)).padStart(4, '0')}`,
    o: O[person.ou],
    departmentNumber: person.ou === 'contractors' ? 'EXT' : 'IT',
    userPassword: sshaHash(password),
    ...person.extra,
  };
  if (person.mail.length > 0) attributes.mail = person.mail;
  if (person.managerUid !== undefined) attributes.manager = dns.user(person.managerUid, person.ou);
  return ldifEntry(dns.user(person.uid, person.ou), attributes);
}

/** The fixture directory below `suffix`, to pass as `startSlapd({ seed })` (base and reader come from the harness). */
export function fixtureLdif(suffix: string = DEFAULT_SUFFIX): string {
  const dns = fixtureDns(suffix);
  const ou = (dn: string, name: string) => ldifEntry(dn, { objectClass: 'organizationalUnit', ou: name });
  const group = (dn: string, cn: string, members: string[]) => ldifEntry(dn, { objectClass: 'groupOfNames', cn, member: members });
  return [
    ou(dns.people, 'people'),
    ou(dns.acme, 'acme'),
    ou(dns.fjord, 'fjord'),
    ou(dns.contractors, 'contractors'),
    ou(dns.groups, 'groups'),
    ...FIXTURE_PEOPLE.map((p) => personLdif(p, dns)),
    group(dns.helpdeskUsers, 'helpdesk-users', HELPDESK_USERS.map(([uid, inOu]) => dns.user(uid, inOu))),
    group(dns.helpdeskAdmins, 'helpdesk-admins', [dns.user('jdevries', 'acme')]),
    // groupOfNames requires a member; the reader account stands in for "nobody".
    group(dns.emptyGroup, 'empty-group', [dns.reader]),
  ].join('\n\n');
}
