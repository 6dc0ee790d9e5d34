import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTranslator, LANGUAGES, loadLocale } from '../../plugin/i18n/index.js';
import { packageRoot } from '../../plugin/paths.js';

function keysOf(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** Plural forms are keyed as key_one / key_other in the files but used as `key` with a count. */
const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
  const locales = Object.fromEntries(LANGUAGES.map((l) => [l, new Set(keysOf(loadLocale(l)))]));

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`has every English key in ${language}, and nothing English lacks`, () => {
      const missing = [...locales.en!].filter((k) => !locales[language]!.has(k));
      const extra = [...locales[language]!].filter((k) => !locales.en!.has(k));
      expect(missing, `missing in ${language}`).to.deep.equal([]);
      expect(extra, `only in ${language}`).to.deep.equal([]);
    });
  }

  it('has an English text for every key the views and code ask for', () => {
    const known = new Set([...locales.en!].map(baseKey));
    const sources = [...filesUnder(join(packageRoot, 'views'), '.ejs'), ...filesUnder(join(packageRoot, 'plugin'), '.ts')];
    const used = new Set<string>();
    for (const file of sources) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'\s*[,)]/g)) used.add(match[1]!);
    }
    expect(used.size).to.be.greaterThan(20);
    expect([...used].filter((k) => !known.has(k))).to.deep.equal([]);
  });

  it('has no empty texts', () => {
    for (const language of LANGUAGES) {
      const empty = keysOf(loadLocale(language)).filter((k) => {
        const value = k.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], loadLocale(language));
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, language).to.deep.equal([]);
    }
  });

  it('picks the chosen language, then the browser language (Norwegian as bokmål), then the default', () => {
    const translator = createTranslator('en');
    const accepts = (offer: string | false) => () => offer;
    expect(translator.detect('nl', accepts('nb'))).to.equal('nl');
    expect(translator.detect('xx', accepts('nb'))).to.equal('nb');
    expect(translator.detect(undefined, accepts('no'))).to.equal('nb');
    expect(translator.detect(undefined, accepts(false))).to.equal('en');
    expect(translator.t('nl')('login.title')).to.equal('Inloggen');
    expect(translator.t('nb')('admin.agentCount', { count: 2 })).to.contain('2 kontoer');
  });
});
