import { expect } from 'chai';
import { normaliseForSearch, parseSearch, prefixUpperBound, termsFor } from '../../plugin/customers/search-terms.js';

describe('customer-user search language', () => {
  it('indexes the whole value and what follows each word boundary, lower-case and without accents', () => {
    expect(termsFor('Jan van der Berg')).to.deep.equal(['jan van der berg', 'van der berg', 'der berg', 'berg']);
    expect(termsFor('José.García@Acme.example')).to.deep.equal(['jose.garcia@acme.example', 'garcia@acme.example', 'acme.example', 'example']);
    expect(termsFor('Øystein Ødegård')).to.deep.equal(['øystein ødegard', 'ødegard']);
    expect(termsFor(null)).to.deep.equal([]);
    expect(termsFor('   ')).to.deep.equal([]);
    expect(termsFor(42)).to.deep.equal(['42']);
  });

  it('caps the terms of one value and their length', () => {
    expect(termsFor(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).to.have.length(12);
    expect(termsFor('x'.repeat(500))[0]).to.have.length(191);
  });

  it('reads words as prefixes, `*` as a wildcard, a leading `*` as contains, and `%` `_` literally', () => {
    expect(parseSearch('Jan')).to.deep.equal([{ kind: 'prefix', prefix: 'jan', likePattern: null }]);
    expect(parseSearch('jan*')).to.deep.equal([{ kind: 'prefix', prefix: 'jan', likePattern: null }]);
    expect(parseSearch('j*sen')).to.deep.equal([{ kind: 'prefix', prefix: 'j', likePattern: 'j%sen%' }]);
    expect(parseSearch('*sen')).to.deep.equal([{ kind: 'contains', likePattern: '%sen%' }]);
    expect(parseSearch('%')).to.deep.equal([{ kind: 'prefix', prefix: '%', likePattern: null }]);
    expect(parseSearch('a_b*c')).to.deep.equal([{ kind: 'prefix', prefix: 'a_b', likePattern: 'a\\_b%c%' }]);
    expect(parseSearch('*%*')).to.deep.equal([{ kind: 'contains', likePattern: '%\\%%' }]);
    expect(parseSearch('*')).to.deep.equal([]);
    expect(parseSearch("in 't")).to.deep.equal([{ kind: 'prefix', prefix: 'in', likePattern: null }, { kind: 'prefix', prefix: 't', likePattern: null }]);
    expect(termsFor("in 't Veld")).to.include('t veld');
    expect(parseSearch('(acme),')).to.deep.equal([{ kind: 'prefix', prefix: 'acme', likePattern: null }]);
    expect(parseSearch('  ')).to.deep.equal([]);
    expect(parseSearch('a b c d e f g')).to.have.length(5);
  });

  it('bounds a prefix range so that exactly the strings starting with it fall inside', () => {
    const inside = (prefix: string, s: string) => s >= prefix && s < prefixUpperBound(prefix);
    expect(inside('jan', 'jansen')).to.equal(true);
    expect(inside('jan', 'jan')).to.equal(true);
    expect(inside('jan', 'jao')).to.equal(false);
    expect(inside('jan', 'ja')).to.equal(false);
    expect(inside('a', 'a\u{10ffff}')).to.equal(true);
    expect(prefixUpperBound('a\u{10ffff}')).to.equal('b');
    expect(prefixUpperBound('\ud7ff')).to.equal('\ue000');
  });

  it('normalises search input like the index', () => {
    expect(normaliseForSearch('  ÉLODIE   Müller ')).to.equal('elodie muller');
  });
});
