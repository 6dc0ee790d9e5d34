/**
 * Deterministic customers and customer users for the search benchmark. Names follow a Zipf-like
 * distribution (a few very common surnames, a long tail of rare ones), logins look like `jan.jansen42`,
 * e-mail addresses like `jan.jansen42@acme-12.example` or `j.jansen7@acme-12.example`, and users spread
 * unevenly over the customers (some large, many small), as in a real helpdesk.
 */
import { COMPANY_KINDS, COMPANY_STEMS, LOCALES, TITLES, type Locale, type LocaleNames } from './names.js';

/** mulberry32: small, fast and seedable, so every run generates the same people. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from `items` with weight 1 / (rank + offset): the first items are the common ones. */
function zipf<T>(items: T[], offset: number, random: () => number): () => T {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((_, rank) => {
    total += 1 / (rank + 1 + offset);
    cumulative[rank] = total;
  });
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const TRANSLITERATE: Record<string, string> = { ø: 'o', æ: 'ae', ß: 'ss', ł: 'l', ı: 'i', đ: 'd', œ: 'oe' };

/** `Ødegård` → `odegard`, `van der Meer` → `vandermeer`, `O'Brien` → `obrien`: what people use in logins. */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæßłıđœ]/g, (c) => TRANSLITERATE[c] ?? '')
    .replace(/[^a-z0-9]/g, '');
}

export interface GeneratedCustomer {
  customerId: string;
  name: string;
  city: string;
  country: string;
}

export interface GeneratedUser {
  id: number;
  login: string;
  email: string;
  customerId: string;
  /** A second customer (customer_user_customers), for some users. */
  extraCustomerId: string | null;
  title: string;
  firstName: string;
  lastName: string;
  phone: string;
  street: string;
  zip: string;
  city: string;
  country: string;
}

export type TermKind = 'last name' | 'login' | 'e-mail';
export interface SearchTerm {
  kind: TermKind;
  term: string;
}

export function generateCustomers(count: number, seed: number): GeneratedCustomer[] {
  const random = randomSource(seed);
  const locales = Object.values(LOCALES);
  return Array.from({ length: count }, (_, i) => {
    const stem = COMPANY_STEMS[i % COMPANY_STEMS.length]!;
    const kind = COMPANY_KINDS[Math.floor(random() * COMPANY_KINDS.length)]!;
    const locale = locales[Math.floor(random() * locales.length)]!;
    return {
      customerId: `${slug(stem)}-${i + 1}`,
      name: `${stem} ${kind} ${i + 1}`,
      city: locale.cities[Math.floor(random() * locale.cities.length)]!,
      country: locale.country,
    };
  });
}

interface LocalePickers {
  names: LocaleNames;
  first: () => string;
  last: () => string;
}

/**
 * Streams `count` users with ids `firstId`, `firstId + 1`, …; logins and e-mail addresses are unique by
 * construction (a counter per name), so no set of a million strings is needed. Alongside, it keeps a
 * uniform sample of what people would type into a search box (3 to 5 leading characters of a last name,
 * a login or an e-mail address), weighted like the data itself: common names are searched more often.
 */
export function createUserGenerator(opts: { customers: GeneratedCustomer[]; seed: number; termsPerKind: number }) {
  const random = randomSource(opts.seed);
  const pickers = new Map<Locale, LocalePickers>();
  for (const [locale, names] of Object.entries(LOCALES) as [Locale, LocaleNames][]) {
    const tail = shuffle(names.compose().filter((n) => !names.lastNames.includes(n)), random);
    pickers.set(locale, {
      names,
      first: zipf(names.firstNames, 8, random),
      last: zipf([...names.lastNames, ...tail], 20, random),
    });
  }
  const localeOrder = [...pickers.values()];
  const customer = zipf(opts.customers, 3, random);
  const loginCounter = new Map<string, number>();
  const emailCounter = new Map<string, number>();
  const samples: Record<TermKind, SearchTerm[]> = { 'last name': [], login: [], 'e-mail': [] };
  let seen = 0;

  const nextNumber = (counter: Map<string, number>, key: string) => {
    const n = (counter.get(key) ?? 0) + 1;
    counter.set(key, n);
    return n;
  };
  const digits = () => String(Math.floor(random() * 1e9)).padStart(9, '0');
  const chance = (p: number) => random() < p;
  const pickLocale = () => {
    let x = random();
    for (const p of localeOrder) {
      x -= p.names.share;
      if (x < 0) return p;
    }
    return localeOrder[0]!;
  };

  /**
   * A typed prefix of 3 to 5 characters. A last name's prefix stops at a space after the third character
   * ("van der …" → "van"), and goes one character on past a space before it ("de Jong" → "de j", not "de ").
   */
  function typed(value: string): string {
    const length = 3 + Math.floor(random() * 3);
    const lower = value.toLowerCase();
    const prefix = lower.slice(0, lower[length - 1] === ' ' ? length + 1 : length);
    const space = prefix.indexOf(' ');
    return space >= 3 ? prefix.slice(0, space) : prefix;
  }

  /** Reservoir sampling: every user has the same chance to end up in the term list. */
  function sample(user: GeneratedUser): void {
    seen += 1;
    const sources: [TermKind, string][] = [['last name', user.lastName], ['login', user.login], ['e-mail', user.email]];
    for (const [kind, value] of sources) {
      const list = samples[kind];
      if (list.length < opts.termsPerKind) list.push({ kind, term: typed(value) });
      else {
        const j = Math.floor(random() * seen);
        if (j < opts.termsPerKind) list[j] = { kind, term: typed(value) };
      }
    }
  }

  function user(id: number): GeneratedUser {
    const { names, first, last } = pickLocale();
    const firstName = first();
    const lastName = last();
    const home = customer();
    const domain = `${home.customerId}.example`;
    const base = `${slug(firstName)}.${slug(lastName)}`;
    const login = `${base}${nextNumber(loginCounter, base)}`;
    let email = `${login}@${domain}`;
    if (chance(0.35)) {
      const short = `${slug(firstName).slice(0, 1)}.${slug(lastName)}`;
      email = `${short}${nextNumber(emailCounter, `${short}@${domain}`)}@${domain}`;
    }
    const other = chance(0.02) ? customer() : null;
    const number = Math.floor(random() * 1_000_000);
    const withAddress = chance(0.9);
    const generated: GeneratedUser = {
      id,
      login,
      email,
      customerId: home.customerId,
      extraCustomerId: other && other.customerId !== home.customerId ? other.customerId : null,
      title: chance(0.12) ? TITLES[Math.floor(random() * TITLES.length)]! : '',
      firstName,
      lastName,
      phone: chance(0.85) ? names.phone(digits()) : '',
      street: withAddress ? `${names.streets[number % names.streets.length]!} ${1 + (number % 180)}` : '',
      zip: withAddress ? names.zip(number) : '',
      city: withAddress ? names.cities[number % names.cities.length]! : '',
      country: withAddress ? names.country : '',
    };
    sample(generated);
    return generated;
  }

  return {
    user,
    /** The sampled search terms, the three kinds interleaved in a fixed random order. */
    terms(): SearchTerm[] {
      const all = [...samples['last name'], ...samples.login, ...samples['e-mail']];
      return shuffle(all, randomSource(opts.seed + 1));
    },
  };
}
