/**
 * The generated directory the LDAP bench syncs from: people in one OU per customer (below ou=people),
 * spread over the customers unevenly (a few large, many small: ../customer-search/people.ts draws them),
 * with Dutch, Norwegian and English names as they occur (José, Ødegård, van der Meer), one or two mail
 * values, a phone, a postal address, a department, a manager for some, an SSHA password for everybody,
 * and a few groups (groupOfNames) of different sizes. Deterministic for a seed except the passwords.
 *
 * uids are AD style (`jjansen`, `jjansen2`): first initial, surname, a counter from the second on. They
 * never contain a dot, so they can never collide with the database users' logins (`jan.jansen42`).
 */
import { randomBytes } from 'node:crypto';
import { ldifEntry, sshaHash, type LdifAttributes } from '../../test/helpers/slapd.js';
import { createUserGenerator, generateCustomers, randomSource, slug, type GeneratedCustomer } from '../customer-search/people.js';

export interface DirectoryPerson {
  uid: string;
  dn: string;
  customerId: string;
  givenName: string;
  sn: string;
  mail: string[];
  password: string;
  /** Their manager's DN, for the 20 % who have one. */
  manager: string | null;
}

export interface DirectoryGroup {
  cn: string;
  dn: string;
  members: number;
}

export interface GeneratedDirectory {
  suffix: string;
  peopleDn: string;
  groupsDn: string;
  customers: GeneratedCustomer[];
  people: DirectoryPerson[];
  groups: DirectoryGroup[];
  /** Everything below the suffix, for slapadd (the harness adds the suffix entry and the reader). */
  ldif: string;
  counts: { secondMail: number; manager: number; phone: number; address: number };
}

const DEPARTMENTS = ['Finance', 'IT', 'Sales', 'Support', 'HR', 'Logistics', 'Legal', 'Facilities', 'Research', 'Board'];
/** Group sizes, from a small admin group to a department-sized one (capped at the people there are). */
const GROUP_SIZES: [string, number][] = [['helpdesk-admins', 25], ['key-users', 500], ['managers', 2_000], ['staff-nl', 10_000]];
/** Share of people with a manager attribute (their OU's first person, who is in the managers group). */
const MANAGER_SHARE = 0.2;
const SECOND_MAIL_SHARE = 0.35;

export const groupNames = (): string[] => GROUP_SIZES.map(([cn]) => cn);

export function generateDirectory(opts: { entries: number; customers: number; seed: number; suffix: string }): GeneratedDirectory {
  const peopleDn = `ou=people,${opts.suffix}`;
  const groupsDn = `ou=groups,${opts.suffix}`;
  // Customer IDs of their own (`dir-acme-1`), so they never meet the database users' customers.
  const customers = generateCustomers(opts.customers, opts.seed).map((c) => ({ ...c, customerId: `dir-${c.customerId}` }));
  const generator = createUserGenerator({ customers, seed: opts.seed, termsPerKind: 0 });
  const random = randomSource(opts.seed + 7);
  // One secret per run: the bench knows every password, the LDIF holds only SSHA hashes.
  const secret = randomBytes(6).toString('hex');
  const uidCounter = new Map<string, number>();
  const mailCounter = new Map<string, number>();
  const firstOfOu = new Map<string, string>();
  const next = (counter: Map<string, number>, key: string) => {
    const n = (counter.get(key) ?? 0) + 1;
    counter.set(key, n);
    return n;
  };

  const records: string[] = [
    ldifEntry(peopleDn, { objectClass: 'organizationalUnit', ou: 'people' }),
    ...customers.map((c) => ldifEntry(`ou=${c.customerId},${peopleDn}`, { objectClass: 'organizationalUnit', ou: c.customerId, description: c.name })),
    ldifEntry(groupsDn, { objectClass: 'organizationalUnit', ou: 'groups' }),
  ];
  const people: DirectoryPerson[] = [];
  const counts = { secondMail: 0, manager: 0, phone: 0, address: 0 };

  for (let i = 1; i <= opts.entries; i++) {
    const u = generator.user(i);
    const first = slug(u.firstName);
    const last = slug(u.lastName);
    const stem = `${first.slice(0, 1)}${last}`;
    const n = next(uidCounter, stem);
    const uid = n === 1 ? stem : `${stem}${n}`;
    const domain = `${u.customerId}.example`;
    const base = `${first}.${last}`;
    const m = next(mailCounter, `${base}@${domain}`);
    const mail = [`${base}${m === 1 ? '' : m}@${domain}`];
    if (random() < SECOND_MAIL_SHARE) mail.push(`${uid}@${domain}`);
    const dn = `uid=${uid},ou=${u.customerId},${peopleDn}`;
    const password = `${uid}-${secret}`;
    const attributes: LdifAttributes = {
      objectClass: 'inetOrgPerson',
      uid,
      cn: `${u.firstName} ${u.lastName}`,
      sn: u.lastName,
      givenName: u.firstName,
      mail,
      departmentNumber: DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)]!,
      userPassword: sshaHash(password),
    };
    if (u.phone) attributes.telephoneNumber = u.phone;
    if (u.street) Object.assign(attributes, { street: u.street, postalCode: u.zip, l: u.city });
    const manager = firstOfOu.get(u.customerId);
    if (manager === undefined) firstOfOu.set(u.customerId, dn);
    else if (random() < MANAGER_SHARE) attributes.manager = manager;
    records.push(ldifEntry(dn, attributes));
    people.push({ uid, dn, customerId: u.customerId, givenName: u.firstName, sn: u.lastName, mail, password, manager: typeof attributes.manager === 'string' ? attributes.manager : null });
    counts.secondMail += mail.length - 1;
    counts.manager += attributes.manager ? 1 : 0;
    counts.phone += u.phone ? 1 : 0;
    counts.address += u.street ? 1 : 0;
  }

  const managers = [...firstOfOu.values()];
  const groups: DirectoryGroup[] = GROUP_SIZES.map(([cn, size]) => {
    const dn = `cn=${cn},${groupsDn}`;
    // The managers group holds the OU heads first; every group is a deterministic sample of the people.
    const members = cn === 'managers' ? [...new Set([...managers, ...sample(people, size, random).map((p) => p.dn)])].slice(0, size) : sample(people, size, random).map((p) => p.dn);
    records.push(ldifEntry(dn, { objectClass: 'groupOfNames', cn, member: members }));
    return { cn, dn, members: members.length };
  });

  return { suffix: opts.suffix, peopleDn, groupsDn, customers, people, groups, ldif: records.join('\n\n'), counts };
}

/** Up to `size` distinct people, in directory order. */
function sample<T>(items: readonly T[], size: number, random: () => number): T[] {
  if (size >= items.length) return [...items];
  const picked = new Set<number>();
  while (picked.size < size) picked.add(Math.floor(random() * items.length));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]!);
}

/**
 * ldapmodify change records for `share` of the people (a new phone number each: a mapped field, so
 * the sync has to write the row and its search terms again). A different slice for every `round`.
 */
export function modificationLdif(dir: GeneratedDirectory, round: number, share: number): { ldif: string; count: number } {
  const count = Math.max(1, Math.round(dir.people.length * share));
  const random = randomSource(9_000 + round);
  const chosen = sample(dir.people, count, random);
  const ldif = chosen
    .map((p, i) => [`dn: ${p.dn}`, 'changetype: modify', 'replace: telephoneNumber', `telephoneNumber: +31 20 ${round}${String(i).padStart(6, '0')}`, '-'].join('\n'))
    .join('\n\n');
  return { ldif: `${ldif}\n`, count: chosen.length };
}

/** `count` people picked at random (seeded), for the login runs. */
export const loginSample = (dir: GeneratedDirectory, count: number, seed: number): DirectoryPerson[] => {
  const random = randomSource(seed);
  return Array.from({ length: count }, () => dir.people[Math.floor(random() * dir.people.length)]!);
};
