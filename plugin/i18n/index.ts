import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { localesDir } from '../paths.js';

export const LANGUAGES = ['en', 'nl', 'nb'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'loket_lang';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

type Resources = Record<string, unknown>;

const readJson = (path: string): Resources => JSON.parse(readFileSync(path, 'utf8')) as Resources;

/**
 * `<lang>.json` holds the shared texts; each feature may keep its own `<lang>/<feature>.json` beside it
 * (one top-level key per file), so features own their texts. A top-level key defined twice is a bug.
 */
export function loadLocale(language: Language): Resources {
  const merged = readJson(join(localesDir, `${language}.json`));
  const featureDir = join(localesDir, language);
  if (!existsSync(featureDir)) return merged;
  for (const file of readdirSync(featureDir).filter((f) => f.endsWith('.json')).sort()) {
    for (const [key, value] of Object.entries(readJson(join(featureDir, file)))) {
      if (key in merged) throw new Error(`locale ${language}: "${key}" is defined twice (${file})`);
      merged[key] = value;
    }
  }
  return merged;
}

export interface Translator {
  t(language: Language): TFunction;
  /** Browser language (Accept-Language, Norwegian variants as bokmål) unless the person chose one. */
  detect(chosen: unknown, accepts: (...langs: string[]) => string | false): Language;
}

/** One i18next instance per Loket app, so a host's own i18next setup is never touched. */
export function createTranslator(defaultLanguage: Language): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: loadLocale(l) }])),
    lng: defaultLanguage,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // EJS escapes on output; escaping here too would show &amp; to people.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGUAGES.map((l) => [l, instance.getFixedT(l)]));
  return {
    t: (language) => fixed.get(language) ?? instance.getFixedT(defaultLanguage),
    detect(chosen, accepts) {
      if (isLanguage(chosen)) return chosen;
      const match = accepts('en', 'nl', 'nb', 'no', 'nn');
      if (match === 'no' || match === 'nn') return 'nb';
      return isLanguage(match) ? match : defaultLanguage;
    },
  };
}
