import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { rebuildFullText } from '../../plugin/db/fulltext.js';
import { faqArticleIndex } from '../../plugin/faq/search-index.js';
import type { Actor } from '../../plugin/access/actor.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';

describe('FAQ core: workflow, search, audience', function () {
  let app: TestApp;
  let admin: Actor;
  let writer: Actor;
  let reviewer: Actor;
  let category: string;

  before(async function () {
    app = await startTestApp();
    admin = await adminActor(app);
    writer = await agentActor(app);
    reviewer = await agentActor(app);
    category = await createFaqCategory(app, admin);
  });
  after(() => app.close());

  it('publishes only after someone other than the author approves', async function () {
    const { faqArticles } = app.loket.container.services;
    const draft = await createArticle(app, writer, { category, title: 'Resetting the printer spooler' });
    expect(draft.state).to.equal('draft');
    await faqArticles.submit(writer, draft.id, cliSubject());
    try {
      await faqArticles.approve(writer, draft.id, cliSubject());
      expect.fail('the author approved their own article');
    } catch (err) {
      expect((err as { status?: number }).status).to.equal(403);
    }
    const published = await faqArticles.approve(reviewer, draft.id, cliSubject());
    expect(published.state).to.equal('published');
    expect(published.approvedBy?.key).to.equal(`agent:${reviewer.principal.id}`);
  });

  it('finds published articles accent- and case-insensitively, by prefix, with a marked snippet', async function () {
    const word = unique('zqx').replace('-', '');
    await createArticle(app, writer, { category, title: `Wachtwoord vergeten ${word}`, body: `Gebruik de link **Wachtwoord vergeten** op de aanmeldpagina. Café ${word} déjà.` }, reviewer);
    const { faqReader } = app.loket.container.services;
    const found = await faqReader.search(null, { q: `WACHTW ${word.slice(0, 6)}`, limit: 10 });
    expect(found.items.map((i) => i.title)).to.deep.equal([`Wachtwoord vergeten ${word}`]);
    expect(found.items[0]!.snippet).to.include('<mark>Wachtwoord</mark>');
    const accents = await faqReader.search(null, { q: `cafe deja ${word}`, limit: 10 });
    expect(accents.items).to.have.length(1);
  });

  it('searches common words too (no stopword list on either engine)', async function () {
    const word = unique('stop').replace('-', '');
    await createArticle(app, writer, { category, title: `What to do about ${word}`, body: 'Which one will it be?' }, reviewer);
    const found = await app.loket.container.services.faqReader.search(null, { q: `about which will ${word}`, limit: 10 });
    expect(found.items.map((i) => i.title)).to.deep.equal([`What to do about ${word}`]);
  });

  it('still finds common words after the index is rebuilt', async function () {
    const word = unique('rebuilt').replace('-', '');
    await createArticle(app, writer, { category, title: `Which ${word} will do`, body: 'It is about the one.' }, reviewer);
    const { knex, dialect, tables } = app.loket.container;
    await rebuildFullText(knex, dialect, faqArticleIndex(tables));
    const found = await app.loket.container.services.faqReader.search(null, { q: `about which will ${word}`, limit: 10 });
    expect(found.items.map((i) => i.title)).to.deep.equal([`Which ${word} will do`]);
  });

  it('suggests by title and keywords while typing, not by words only the body holds', async function () {
    const word = unique('sug').replace('-', '');
    await createArticle(app, writer, { category, title: `Printer ${word} offline`, keywords: [`kw${word}`], body: `Body only mentions bodyword${word}.` }, reviewer);
    const { faqReader } = app.loket.container.services;
    expect((await faqReader.suggest(null, { q: `print ${word.slice(0, 5)}`, limit: 5 })).map((h) => h.title)).to.deep.equal([`Printer ${word} offline`]);
    expect((await faqReader.suggest(null, { q: `kw${word}`, limit: 5 })).map((h) => h.title)).to.deep.equal([`Printer ${word} offline`]);
    expect(await faqReader.suggest(null, { q: `bodyword${word}`, limit: 5 })).to.have.length(0);
    expect((await faqReader.search(null, { q: `bodyword${word}`, limit: 5 })).items).to.have.length(1);
  });

  it('never gives an engine error for search syntax characters', async function () {
    const { faqReader } = app.loket.container.services;
    for (const q of ['"', 'foo"', 'NEAR(a b', '*', '+-<>()~', 'a AND', 'OR', '"unbalanced', 'title:x', '@@@', '\\', "'; drop table x; --"]) {
      await faqReader.search(null, { q, limit: 5 });
      await faqReader.suggest(null, { q, limit: 5 });
    }
  });

  it('keeps internal and draft articles from readers, and shows them to staff', async function () {
    const word = unique('intern').replace('-', '');
    await createArticle(app, writer, { category, title: `Internal ${word}`, visibility: 'internal' }, reviewer);
    await createArticle(app, writer, { category, title: `Draft ${word}`, visibility: 'public' });
    const { faqReader } = app.loket.container.services;
    expect((await faqReader.search(null, { q: word, limit: 10 })).items).to.have.length(0);
    expect((await faqReader.suggest(null, { q: word, limit: 10 }))).to.have.length(0);
    expect((await faqReader.search(writer, { q: word, limit: 10 })).items.map((i) => i.title)).to.deep.equal([`Internal ${word}`]);
  });

  it('records a search that found nothing as a content gap', async function () {
    const word = unique('nothing').replace('-', '');
    const { faqReader } = app.loket.container.services;
    await faqReader.search(null, { q: word, limit: 10 });
    await faqReader.search(null, { q: word.toUpperCase(), limit: 10 });
    const gaps = await faqReader.gaps(writer, { limit: 100, offset: 0 });
    const gap = gaps.items.find((g) => g.query.toLowerCase() === word);
    expect(gap?.searches).to.equal(2);
  });

  it('keeps every saved version and diffs them', async function () {
    const { faqArticles } = app.loket.container.services;
    const draft = await createArticle(app, writer, { category, title: 'Versioned', body: 'line one\nline two\n' });
    await faqArticles.update(reviewer, draft.id, { body: 'line one\nline 2\n' }, cliSubject());
    const { versions } = await faqArticles.versions(writer, draft.id);
    expect(versions.map((v) => v.number)).to.deep.equal([2, 1]);
    const diff = await faqArticles.diff(writer, draft.id, 1, 2);
    const body = diff.changes.find((c) => c.field === 'body');
    expect(body?.parts.filter((p) => p.kind === 'removed').map((p) => p.text)).to.deep.equal(['line two\n']);
  });
});
