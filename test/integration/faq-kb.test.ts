import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSubject } from '../../plugin/audit/service.js';
import { ExitCode } from '../../plugin/cli/exit-codes.js';
import { runCli } from '../../plugin/cli/program.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { packageRoot } from '../../plugin/paths.js';
import { freshDatabase, rememberPrefix, tempDir } from '../helpers/db.js';

type Env = Record<string, string>;

async function cli(argv: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env });
  return { code, stdout, stderr };
}

const article = (front: Record<string, string>, body = 'Body text.\n') =>
  `---\n${Object.entries(front)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n${body}`;

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('loket kb import / export', function () {
  this.timeout(60_000);
  let env: Env;
  let loket: LoketInternals;

  before(async function () {
    const db = freshDatabase();
    rememberPrefix(db.tablePrefix);
    const dir = tempDir('loket-kb-');
    const config = join(dir, 'loket.config.json');
    writeFileSync(config, JSON.stringify({ tablePrefix: db.tablePrefix, database: { connectRetries: 0 } }));
    env = { DATABASE_URL: db.databaseUrl, LOKET_CONFIG: config, LOKET_DATA_DIR: join(dir, 'data'), NODE_ENV: 'test' };
    loket = buildLoket({ env: 'test', logLevel: 'silent', databaseUrl: db.databaseUrl, tablePrefix: db.tablePrefix, session: { secret: randomBytes(32).toString('hex') }, database: { connectRetries: 0 } });
    await loket.migrate();
    const admin = await loket.container.services.agents.createFromOperator({ login: `kbadmin${randomBytes(3).toString('hex')}`, email: `kb${randomBytes(3).toString('hex')}@example.test`, role: 'admin', firstName: 'K', lastName: 'B' }, cliSubject());
    const actor = (await loket.container.services.actors.resolve({ type: 'agent', id: admin.agent.id }, 'session'))!;
    for (const name of ['users', 'facilities', 'it-support']) await loket.container.services.groups.create(actor, { name }, cliSubject());
  });
  after(() => loket.close());

  it('imports the shipped kb/ completely, and a second run changes nothing', async function () {
    const first = await cli(['kb', 'import', join(packageRoot, 'kb')], env);
    expect(first.stdout).to.match(/articles: +\d+ created, 0 updated, 0 unchanged, 0 invalid/);
    expect(first.code, first.stdout + first.stderr).to.equal(ExitCode.ok);
    const created = Number(/articles: +(\d+) created/.exec(first.stdout)![1]);
    expect(created).to.be.at.least(20);
    const again = await cli(['kb', 'import', join(packageRoot, 'kb')], env);
    expect(again.code).to.equal(ExitCode.ok);
    expect(again.stdout).to.include(`articles:   0 created, 0 updated, ${created} unchanged, 0 invalid`);
    expect(again.stdout).to.match(/categories: 0 created, 0 updated, \d+ unchanged, 0 invalid/);
    // Shipped articles are published and found, in Dutch as in English.
    const nl = await loket.container.services.faqReader.search(null, { q: 'wachtwoord vergeten', language: 'nl', limit: 5 });
    expect(nl.items.length).to.be.greaterThan(0);
    expect(nl.items[0]!.language).to.equal('nl');
    const en = await loket.container.services.faqReader.search(null, { q: 'vpn', language: 'en', limit: 5 });
    expect(en.items.map((i) => i.slug)).to.include('vpn-connect');
  });

  it('reports invalid files with reasons, imports the valid ones, and updates changed ones', async function () {
    const dir = tempDir('loket-kb-src-');
    write(dir, 'categories.yaml', '- slug: kbtest\n  name: KB test\n- slug: kbtest-child\n  name: Child\n  parent: kbtest\n- slug: kbtest-bad\n  name: Bad\n  group: no-such-group\n');
    const valid = { slug: 'kb-valid', title: 'Valid one', category: 'kbtest-child', language: 'en', keywords: '[alpha, beta]', visibility: 'public', summary: 'Short.' };
    write(dir, 'kbtest/kb-valid.en.md', article(valid));
    write(dir, 'kbtest/kb-valid.nl.md', article({ ...valid, language: 'nl', title: 'Geldig' }));
    write(dir, 'kbtest/unknown-category.en.md', article({ ...valid, slug: 'kb-unknown', category: 'no-such-category' }));
    write(dir, 'kbtest/bad-language.md', article({ ...valid, slug: 'kb-badlang', language: 'de' }));
    write(dir, 'kbtest/no-front-matter.md', '# Just markdown\n');
    write(dir, 'kbtest/raw-html.en.md', article({ ...valid, slug: 'kb-html' }, '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n'));
    const first = await cli(['kb', 'import', dir], env);
    expect(first.code).to.equal(ExitCode.partial);
    expect(first.stdout).to.include('articles:   3 created, 0 updated, 0 unchanged, 3 invalid');
    expect(first.stdout).to.match(/invalid +kbtest\/unknown-category\.en\.md: unknown category no-such-category/);
    expect(first.stdout).to.match(/invalid +kbtest\/bad-language\.md: language/);
    expect(first.stdout).to.match(/invalid +kbtest\/no-front-matter\.md: no front matter/);
    expect(first.stdout).to.match(/invalid +category kbtest-bad: unknown group no-such-group/);
    const html = await loket.container.services.kb.exportAll();
    const imported = html.articles.find((a) => a.slug === 'kb-html');
    expect(imported?.body).to.include('<script>');
    const stored = await loket.container.services.faqReader.articleBySlug(null, 'kbtest-child', 'kb-html', 'en');
    expect(stored.article.bodyHtml).not.to.include('<script>');
    expect(stored.article.bodyHtml).not.to.match(/href="javascript/i);

    write(dir, 'kbtest/kb-valid.en.md', article({ ...valid, title: 'Valid one, revised' }));
    const second = await cli(['kb', 'import', dir], env);
    expect(second.stdout).to.include('articles:   0 created, 1 updated, 2 unchanged, 3 invalid');
    const { article: updated } = await loket.container.services.faqReader.articleBySlug(null, 'kbtest-child', 'kb-valid', 'en');
    expect(updated.title).to.equal('Valid one, revised');
    expect(updated.state).to.equal('published');
  });

  it('exports what it imports: importing an export changes nothing', async function () {
    const out = tempDir('loket-kb-out-');
    const exported = await cli(['kb', 'export', out], env);
    expect(exported.code).to.equal(ExitCode.ok);
    expect(readdirSync(out)).to.include('categories.yaml');
    const sample = readFileSync(join(out, 'account', 'reset-password.nl.md'), 'utf8');
    expect(sample).to.match(/^---\nslug: reset-password\n/);
    expect(sample).to.include('language: nl');
    const reimport = await cli(['kb', 'import', out], env);
    expect(reimport.stdout).to.match(/articles: +0 created, 0 updated, \d+ unchanged, 0 invalid/);
    expect(reimport.code).to.equal(ExitCode.ok);
  });
});
