/**
 * Name material for the generated customer users: Dutch, Norwegian and English first and last names as
 * they occur (with `van der`, `Ødegård`, `José`, `O'Brien`), most common first. The common surnames are
 * followed by composed ones (`van de Wetering`, `Haugland`, `Ashford`, `Pietersen`) so that a million
 * users have a long tail of rarer names, as a real customer base does, instead of a few hundred names
 * each held by thousands of people.
 */
export type Locale = 'nl' | 'no' | 'en';

export interface LocaleNames {
  share: number;
  firstNames: string[];
  /** Common surnames, most common first. */
  lastNames: string[];
  /** Building blocks for the long tail of rarer surnames. */
  compose: () => string[];
  cities: string[];
  streets: string[];
  country: string;
  phone: (digits: string) => string;
  zip: (n: number) => string;
}

const pairs = (heads: string[], tails: string[], join: (h: string, t: string) => string): string[] =>
  heads.flatMap((h) => tails.map((t) => join(h, t)));

const NL_FIRST = [
  'Jan', 'Pieter', 'Johannes', 'Willem', 'Hendrik', 'Cornelis', 'Gerrit', 'Kees', 'Joost', 'Bram', 'Daan', 'Sem',
  'Lucas', 'Thijs', 'Ruben', 'Jeroen', 'Marieke', 'Anouk', 'Sanne', 'Femke', 'Lotte', 'Eva', 'Emma', 'Sophie',
  'Julia', 'Lieke', 'Inge', 'Annelies', 'Geert', 'Maarten', 'Floor', 'Noor', 'Ilse', 'Marloes', 'Wouter', 'Niels',
  'Tessa', 'Roos', 'Bas', 'Arjen', 'José', 'André', 'René', 'Zoë', 'Chloé', 'Noël', 'Anaïs', 'Mehmet', 'Fatima',
  'Ayşe', 'Priya', 'Dewi', 'Jelle', 'Sjoerd', 'Hylke', 'Wietske', 'Baukje', 'Teun', 'Gijs', 'Stijn', 'Koen',
];
const NL_LAST = [
  'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer',
  'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit',
  'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen',
  'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin', 'van der Heijden', 'Schouten',
  'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra', 'Maas', 'Verhoeven', 'Koster', 'van Dam',
  'van der Wal', 'Prins', 'Blom', 'Huisman', 'Peeters', 'de Lange', 'Kuipers', 'van Wijk', 'Post', 'Kuiper',
  'Veenstra', 'Kramer', 'van den Brink', 'Scholten', 'Yılmaz', 'Öztürk', 'Kaya', 'Çelik', 'El Amrani', 'Bouzid',
  "in 't Veld", "van 't Hof", 'Kloosterboer', 'Wijnaldum', 'Zwart', 'Groen', 'Claassen', 'Verbeek', 'Sijbrandij',
];
const NL_PARTICLES = ['van', 'van der', 'van den', 'van de', 'de', 'ter', 'ten', 'op de', 'in het'];
const NL_STEMS = [
  'Berg', 'Dijk', 'Meer', 'Broek', 'Veen', 'Beek', 'Hoeven', 'Bosch', 'Vliet', 'Laan', 'Wal', 'Heuvel', 'Brink',
  'Kamp', 'Velde', 'Poel', 'Horst', 'Linde', 'Zande', 'Akker', 'Molen', 'Wetering', 'Leeuw', 'Hoek', 'Maat',
  'Straaten', 'Steen', 'Water', 'Weide', 'Graaf', 'Haar', 'Loo', 'Oever', 'Gaag', 'Schuur', 'Zijl', 'Toorn',
];

const NO_FIRST = [
  'Ole', 'Lars', 'Knut', 'Øystein', 'Håkon', 'Bjørn', 'Kjetil', 'Magnus', 'Sindre', 'Eirik', 'Torbjørn', 'Arne',
  'Nils', 'Jørgen', 'Ingrid', 'Solveig', 'Kari', 'Åse', 'Marit', 'Sigrid', 'Ingeborg', 'Tuva', 'Nora', 'Hanne',
  'Liv', 'Ragnhild', 'Astrid', 'Silje', 'Kristin', 'Guro', 'Per', 'Jon', 'Hans', 'Anders', 'Erlend', 'Vegard',
  'Trond', 'Geir', 'Stian', 'Aslak', 'Mathilde', 'Ane', 'Synnøve', 'Gro', 'Tone', 'Frøydis', 'Søren', 'Ådne',
  'Ahmed', 'Mariam', 'Thanh', 'Linh',
];
const NO_LAST = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Dahl',
  'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen', 'Gundersen', 'Iversen', 'Strand',
  'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen', 'Bakken', 'Kristoffersen', 'Mathisen', 'Lie',
  'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Lunde', 'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke', 'Kristensen',
  'Fredriksen', 'Holm', 'Lien', 'Hauge', 'Christensen', 'Andresen', 'Nielsen', 'Knudsen', 'Evensen', 'Sæther',
  'Aas', 'Myhre', 'Hanssen', 'Ødegård', 'Haugland', 'Thorsen', 'Hovland', 'Ødegaard', 'Bråthen', 'Åsheim', 'Løvås',
];
const NO_STEMS = [
  'Haug', 'Berg', 'Dal', 'Vik', 'Strand', 'Li', 'Bakk', 'Ås', 'Sand', 'Holm', 'Nes', 'Skog', 'Fjell', 'Rød', 'Lund',
  'Øde', 'Hov', 'Bø', 'Sol', 'Aa', 'Brå', 'Løv', 'Stor', 'Vest', 'Øst', 'Nord', 'Sønd', 'Kval', 'Tveit', 'Rus',
];
const NO_SUFFIXES = ['land', 'stad', 'heim', 'rud', 'seth', 'gård', 'dal', 'vik', 'nes', 'bakken', 'haug', 'by', 'sæter', 'mo', 'berg', 'ås'];

const EN_FIRST = [
  'John', 'James', 'Michael', 'David', 'Robert', 'William', 'Thomas', 'Daniel', 'Matthew', 'Oliver', 'George', 'Harry',
  'Jack', 'Mary', 'Sarah', 'Emily', 'Jessica', 'Hannah', 'Charlotte', 'Olivia', 'Amelia', 'Grace', 'Chloe', 'Siobhán',
  'Seán', 'Niamh', 'Aoife', 'Rhys', 'Cerys', 'Aarav', 'Mohammed', 'Renée', 'Zoë', 'Chris', 'Sam', 'Alex',
];
const EN_LAST = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
  'Clarke', 'Patel', 'Jackson', "O'Brien", 'McDonald', 'Ó Súilleabháin', 'García', 'Muñoz', 'Müller', 'Schäfer',
  'Dvořák', 'Novák', 'Łukasiewicz', 'Gonçalves', 'Fernández', 'Kowalski', 'Smith-Jones', 'ap Rhys',
];
const EN_STEMS = ['Ash', 'Brad', 'Whit', 'Hart', 'Ox', 'Cam', 'Wal', 'Brook', 'Stan', 'Shel', 'Lang', 'Mar', 'Red', 'Black', 'Wood', 'Hamp', 'Kings', 'Thorn', 'Wes', 'Nor'];
const EN_SUFFIXES = ['ford', 'ley', 'ton', 'field', 'wood', 'worth', 'bury', 'ham', 'well', 'by', 'more', 'stone'];

const digitsIn = (s: string, from: number, to: number) => s.slice(from, to);

export const LOCALES: Record<Locale, LocaleNames> = {
  nl: {
    share: 0.45,
    firstNames: NL_FIRST,
    lastNames: NL_LAST,
    compose: () => [
      ...pairs(NL_PARTICLES, NL_STEMS, (p, s) => `${p} ${s}`),
      ...NL_STEMS.map((s) => `Ver${s.toLowerCase()}`),
      ...NL_FIRST.slice(0, 40).map((f) => `${f}s`),
    ],
    cities: ['Amsterdam', 'Rotterdam', 'Utrecht', "'s-Hertogenbosch", 'Den Haag', 'Groningen', 'Eindhoven', 'Zwolle', 'Leeuwarden', 'Maastricht'],
    streets: ['Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Molenweg', 'Schoolstraat', 'Julianalaan', 'Prinsengracht', 'Markt'],
    country: 'Nederland',
    phone: (d) => `+31 6 ${digitsIn(d, 0, 8)}`,
    zip: (n) => `${1000 + (n % 9000)} ${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + ((n >> 5) % 26))}`,
  },
  no: {
    share: 0.35,
    firstNames: NO_FIRST,
    lastNames: NO_LAST,
    compose: () => [
      ...pairs(NO_STEMS, NO_SUFFIXES, (s, x) => `${s}${x}`),
      ...NO_FIRST.slice(0, 30).map((f) => `${f}sen`),
    ],
    cities: ['Oslo', 'Bergen', 'Trondheim', 'Tromsø', 'Stavanger', 'Bodø', 'Ålesund', 'Drammen', 'Lillehammer', 'Kristiansand'],
    streets: ['Storgata', 'Kirkegata', 'Strandveien', 'Skolegata', 'Fjordveien', 'Løkkeveien', 'Bryggen', 'Torget'],
    country: 'Norge',
    phone: (d) => `+47 ${digitsIn(d, 0, 3)} ${digitsIn(d, 3, 5)} ${digitsIn(d, 5, 8)}`,
    zip: (n) => String(n % 10000).padStart(4, '0'),
  },
  en: {
    share: 0.2,
    firstNames: EN_FIRST,
    lastNames: EN_LAST,
    compose: () => [
      ...pairs(EN_STEMS, EN_SUFFIXES, (s, x) => `${s}${x}`),
      ...EN_FIRST.slice(0, 20).map((f) => `${f}son`),
    ],
    cities: ['London', 'Manchester', 'Leeds', 'York', 'Bristol', 'Cardiff', 'Edinburgh', 'Belfast'],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Mill Lane', 'Victoria Road', 'Green Lane'],
    country: 'United Kingdom',
    phone: (d) => `+44 7${digitsIn(d, 0, 3)} ${digitsIn(d, 3, 9)}`,
    zip: (n) => `${['SW', 'NW', 'LS', 'M', 'BS', 'CF', 'EH', 'BT'][n % 8]!}${1 + (n % 20)} ${n % 10}${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + ((n >> 4) % 26))}`,
  },
};

export const TITLES = ['Dr.', 'Ir.', 'Mr.', 'Ms.', 'Prof.', 'Drs.'];

/** Company names for the customers: a stem and a kind, e.g. "Fjordkraft Energi", "Polder Logistiek". */
export const COMPANY_STEMS = [
  'Acme', 'Nordlys', 'Fjordkraft', 'Polder', 'Zuiderzee', 'Delta', 'Tulpen', 'Vesterhav', 'Midgard', 'Brugge',
  'Oranje', 'Fjellvann', 'Kanaal', 'Havn', 'Lindeboom', 'Thames', 'Pennine', 'Dijkgraaf', 'Nordkapp', 'Hanze',
];
export const COMPANY_KINDS = ['Logistiek', 'Energi', 'Bouw', 'Zorg', 'Consulting', 'Transport', 'AS', 'BV', 'Ltd', 'Gemeente', 'Kommune', 'Bank'];
