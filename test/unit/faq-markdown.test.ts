import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { LoketError } from '../../plugin/errors.js';
import { faqMarkdownIt } from '../../plugin/faq/markdown/markdown-it.js';
import { MAX_MARKDOWN_CHARS, renderMarkdown } from '../../plugin/faq/markdown/render.js';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../plugin/faq/markdown/renderer.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const ALLOWED_TAGS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'img', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre',
  'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 's', 'div',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'rel', 'loading', 'id', 'class', 'start']);

/** Every node, in document order; a loop, not recursion, because pathological input nests deep. */
function nodesOf(html: string): Node[] {
  const found: Node[] = [];
  const stack: Node[] = [parseFragment(html)];
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    if ('childNodes' in node) stack.push(...[...node.childNodes].reverse());
  }
  return found;
}

/** Every element, in document order, as a browser's parser builds them from the HTML. */
function elementsOf(html: string): Element[] {
  return nodesOf(html).filter((node): node is Element => 'tagName' in node);
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((attribute) => attribute.name === name)?.value;
}

function byTag(html: string, tag: string): Element[] {
  return elementsOf(html).filter((element) => element.tagName === tag);
}

/** Written apart from the implementation: http(s), mailto or no scheme at all. */
function isSafeUrl(url: string): boolean {
  const trimmed = url.trim();
  if (/^(https?|mailto):/i.test(trimmed)) return true;
  return !/^[^/?#]*:/.test(trimmed) && !/[\t\n\r]/.test(trimmed);
}

/** The whole XSS contract, checked on the parsed DOM. */
function expectSafeDom(html: string): void {
  for (const element of elementsOf(html)) {
    expect(ALLOWED_TAGS.has(element.tagName), `element <${element.tagName}>`).to.equal(true);
    for (const { name, value } of element.attrs) {
      expect(name, `attribute ${name} on <${element.tagName}>`).not.to.match(/^on/i);
      expect(ALLOWED_ATTRIBUTES.has(name), `attribute ${name} on <${element.tagName}>`).to.equal(true);
      if (name === 'href' || name === 'src') expect(isSafeUrl(value), `${name}="${value}"`).to.equal(true);
      if (name === 'id') expect(value).to.match(/^faq-[a-z0-9-]+$/);
      if (name === 'class') expect(value).to.match(/^(table-wrap|align-(left|center|right)|language-[A-Za-z0-9_+#.-]+)$/);
    }
  }
}

function textOf(html: string): string {
  return nodesOf(html)
    .map((node) => (node.nodeName === '#text' && 'value' in node ? node.value : ''))
    .join('')
    .trim();
}

function expectLoketError(error: unknown, status: number, code: string): void {
  expect(error).to.be.instanceOf(LoketError);
  const loketError = error as LoketError;
  expect(loketError.status).to.equal(status);
  expect(loketError.code).to.equal(code);
  expect(loketError.field).to.equal('body');
}

const ARTICLE = `# Wachtwoord vergeten

Ga naar [de inlogpagina](/login) en kies **Wachtwoord vergeten**. Je krijgt binnen een paar minuten een
e-mail met een link. Zie ook <https://support.example.com/reset> of mail naar helpdesk@example.com.

## Stappen

1. Open de inlogpagina.
2. Vul je e-mailadres in.
3. Klik op de link in de e-mail; die is *één uur* geldig.

## Veelgestelde vragen

> Ik krijg geen e-mail.

Kijk in je map met ongewenste e-mail. Staat hij daar niet, neem dan contact op met de helpdesk.

| Situatie | Wat te doen | Tijd |
|:---------|:-----------:|-----:|
| Geen e-mail | Spam-map bekijken | 5 min |
| Link verlopen | Opnieuw aanvragen | 2 min |
| Account geblokkeerd | Helpdesk bellen | 1 dag |

\`\`\`bash
curl -X POST https://support.example.com/api/reset --data 'email=jan@example.com'
\`\`\`

![Schermafbeelding van het inlogscherm](/static/faq/login.png "Inlogscherm")

## Stappen

Nog een kop met dezelfde naam, voor de unieke ids. Meer over [wachtwoorden](#faq-stappen) en
[privacy](https://www.example.org/privacy). Gebruik geen wachtwoord dat je elders ook gebruikt; een
wachtwoordmanager helpt. De helpdesk vraagt je nooit om je wachtwoord, ook niet per telefoon of e-mail.
Twijfel je over een bericht? Stuur het door naar security@example.com en klik nergens op.

---

## Tips voor een sterk wachtwoord

- Kies minstens **twaalf tekens**, liefst een zin die je kunt onthouden.
- Gebruik voor elke dienst een ander wachtwoord.
- Zet tweestapsverificatie aan waar dat kan: zie [Tweestapsverificatie instellen](/faq/tweestaps).
- Deel je wachtwoord nooit, ook niet met collega's of de helpdesk.
- Schrijf het niet op een briefje bij je scherm.

Werkt het nog steeds niet? Bel dan de servicedesk op werkdagen tussen 8:00 en 17:00 uur. Houd je
personeelsnummer bij de hand, dan kunnen we je sneller helpen. Buiten kantoortijd kun je een melding
maken via het portaal; we pakken die de volgende werkdag als eerste op.

Laatst bijgewerkt door het servicedesk-team. Vragen over dit artikel? Laat het ons weten via het formulier.
`;

describe('FAQ markdown rendering', () => {
  describe('raw HTML', () => {
    it('keeps the html option off (the commonmark preset or html:true would let raw HTML through)', () => {
      expect(faqMarkdownIt.options.html).to.equal(false);
    });

    for (const source of [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      'inline <b onclick="alert(1)">bold</b> and <a href="javascript:alert(1)">x</a>',
      '<div>\n<script>alert(1)</script>\n</div>',
    ]) {
      it(`renders ${JSON.stringify(source)} as text`, () => {
        const { html, text } = renderMarkdown(source);
        expectSafeDom(html);
        // linkify may still make a link of a URL inside the tag's text; the markup itself must not survive.
        expect(elementsOf(html).filter((element) => element.tagName !== 'a').map((element) => element.tagName)).to.deep.equal(['p']);
        expect(textOf(html)).to.equal(source);
        expect(text).to.equal(source.replace(/\s+/g, ' '));
      });
    }
  });

  describe('links and images', () => {
    const refused = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      '&#106;avascript:alert(1)',
      '&#x6A;avascript:alert(1)',
      'javascript&colon;alert(1)',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
      '&#9;javascript:alert(1)',
      '&#10;javascript:alert(1)',
      'java\0script:alert(1)',
    ];

    for (const url of refused) {
      it(`refuses ${JSON.stringify(url)} in links, images and reference definitions`, () => {
        const sources = [
          `[link](${url})`,
          `![image](${url})`,
          `[link](<${url}>)`,
          `[ref]\n\n[ref]: ${url}`,
          `![ref]\n\n[ref]: ${url}`,
        ];
        for (const source of sources) {
          const { html } = renderMarkdown(source);
          expectSafeDom(html);
          expect(byTag(html, 'a'), source).to.have.length(0);
          expect(byTag(html, 'img'), source).to.have.length(0);
        }
      });
    }

    for (const prefix of ['  ', '\t', '\n', ' \t\n ']) {
      it(`refuses javascript: after ${JSON.stringify(prefix)}`, () => {
        for (const source of [`[a](${prefix}javascript:alert(1))`, `![a](${prefix}javascript:alert(1))`, `[r]\n\n[r]:${prefix}javascript:alert(1)`]) {
          const { html } = renderMarkdown(source);
          expectSafeDom(html);
          expect(byTag(html, 'a'), source).to.have.length(0);
          expect(byTag(html, 'img'), source).to.have.length(0);
        }
      });
    }

    it('leaves an encoded NUL inert: the # starts a fragment of a relative URL', () => {
      const { html } = renderMarkdown('[a](java&#0;script:alert(1))');
      expectSafeDom(html);
      expect(byTag(html, 'a').map((a) => attr(a, 'href'))).to.deep.equal(['java&#0;script:alert(1)']);
    });

    it('renders a refused link as its plain text', () => {
      const { html } = renderMarkdown('Click [here](javascript:alert(1)) now.');
      expect(byTag(html, 'a')).to.have.length(0);
      expect(textOf(html)).to.equal('Click [here](javascript:alert(1)) now.');
    });

    it('refuses dangerous autolinks and leaves them as text', () => {
      for (const source of ['<javascript:alert(1)>', '<JAVASCRIPT:alert(1)>', '<vbscript:msgbox(1)>', '<data:text/html,x>', '<file:///etc/passwd>']) {
        const { html } = renderMarkdown(source);
        expectSafeDom(html);
        expect(byTag(html, 'a'), source).to.have.length(0);
        expect(textOf(html)).to.equal(source);
      }
    });

    it('does not linkify dangerous schemes in running text', () => {
      const { html } = renderMarkdown('see javascript:alert(1) and vbscript:msgbox(1) and data:text/html,x');
      expectSafeDom(html);
      expect(byTag(html, 'a')).to.have.length(0);
    });

    it('keeps http(s), mailto and relative links, with rel only on external ones and no target', () => {
      const { html } = renderMarkdown(
        '[a](https://x.example/a) [b](http://x.example/b) [c](//x.example/c) [d](/faq/1) [e](#faq-intro) ' +
          '[f](other-article) [g](mailto:help@example.com) <https://auto.example/> help@example.com https://bare.example/x',
      );
      expectSafeDom(html);
      const links = byTag(html, 'a').map((a) => ({ href: attr(a, 'href'), rel: attr(a, 'rel'), target: attr(a, 'target') }));
      const external = { rel: 'noopener nofollow', target: undefined };
      const internal = { rel: undefined, target: undefined };
      expect(links).to.deep.equal([
        { href: 'https://x.example/a', ...external },
        { href: 'http://x.example/b', ...external },
        { href: '//x.example/c', ...external },
        { href: '/faq/1', ...internal },
        { href: '#faq-intro', ...internal },
        { href: 'other-article', ...internal },
        { href: 'mailto:help@example.com', ...internal },
        { href: 'https://auto.example/', ...external },
        { href: 'mailto:help@example.com', ...internal },
        { href: 'https://bare.example/x', ...external },
      ]);
    });

    it('keeps reference definitions that point somewhere allowed', () => {
      const { html } = renderMarkdown('[manual] and [home]\n\n[manual]: https://docs.example/m "The manual"\n[home]: /');
      expectSafeDom(html);
      expect(byTag(html, 'a').map((a) => [attr(a, 'href'), attr(a, 'title')])).to.deep.equal([
        ['https://docs.example/m', 'The manual'],
        ['/', undefined],
      ]);
    });

    it('loads images lazily and keeps their alt text', () => {
      const { html } = renderMarkdown('![Login screen](https://cdn.example/login.png) ![local](/img/a.png)');
      expectSafeDom(html);
      expect(byTag(html, 'img').map((img) => [attr(img, 'src'), attr(img, 'alt'), attr(img, 'loading')])).to.deep.equal([
        ['https://cdn.example/login.png', 'Login screen', 'lazy'],
        ['/img/a.png', 'local', 'lazy'],
      ]);
    });
  });

  describe('attribute breakout', () => {
    it('keeps quotes in a link destination inside the href', () => {
      const { html } = renderMarkdown('[a](http://x.example/"onmouseover="alert(1))');
      expectSafeDom(html);
      const [link] = byTag(html, 'a');
      expect(link!.attrs.map((attribute) => attribute.name)).to.deep.equal(['href', 'rel']);
      expect(attr(link!, 'href')).to.equal('http://x.example/%22onmouseover=%22alert(1)');
    });

    it('keeps quotes in a link title inside the title', () => {
      const { html } = renderMarkdown(`[a](https://x.example "x\\" onmouseover=\\"alert(1)") [b](https://x.example 'y" onclick="alert(1)')`);
      expectSafeDom(html);
      expect(byTag(html, 'a').map((a) => attr(a, 'title'))).to.deep.equal(['x" onmouseover="alert(1)', 'y" onclick="alert(1)']);
    });

    it('keeps quotes in image alt text inside the alt', () => {
      const { html } = renderMarkdown('![a" onerror="alert(1)](https://x.example/p.png)');
      expectSafeDom(html);
      expect(attr(byTag(html, 'img')[0]!, 'alt')).to.equal('a" onerror="alert(1)');
    });

    it('drops a fence info string that is not a plain language name', () => {
      const { html } = renderMarkdown('```js" onclick="x\nalert(1)\n```\n\n```ts\nconst a = 1;\n```');
      expectSafeDom(html);
      expect(byTag(html, 'code').map((code) => attr(code, 'class'))).to.deep.equal([undefined, 'language-ts']);
    });
  });

  describe('headings', () => {
    it('gives every heading a unique id prefixed with faq- and lists them for a table of contents', () => {
      const { html, headings } = renderMarkdown(
        '# Intro\n\n## Intro\n\n## Intro\n\n### Ça marche? Één *keer*\n\n## location\n\n#### Straße `code`\n\n## ???\n\nIntro\n-----',
      );
      expectSafeDom(html);
      const ids = elementsOf(html).filter((element) => /^h[1-6]$/.test(element.tagName)).map((heading) => attr(heading, 'id'));
      expect(ids).to.deep.equal([
        'faq-intro', 'faq-intro-2', 'faq-intro-3', 'faq-ca-marche-een-keer', 'faq-location', 'faq-strasse-code', 'faq-section', 'faq-intro-4',
      ]);
      expect(headings).to.deep.equal([
        { id: 'faq-intro', text: 'Intro', level: 2 },
        { id: 'faq-intro-2', text: 'Intro', level: 3 },
        { id: 'faq-intro-3', text: 'Intro', level: 3 },
        { id: 'faq-ca-marche-een-keer', text: 'Ça marche? Één keer', level: 4 },
        { id: 'faq-location', text: 'location', level: 3 },
        { id: 'faq-strasse-code', text: 'Straße code', level: 5 },
        { id: 'faq-section', text: '???', level: 3 },
        { id: 'faq-intro-4', text: 'Intro', level: 3 },
      ]);
    });

    it('starts body headings at h2: the page title is the only h1', () => {
      expect(renderMarkdown('# Title\n\n###### Deepest').html).to.equal('<h2 id="faq-title">Title</h2>\n<h6 id="faq-deepest">Deepest</h6>\n');
      expect(renderMarkdown('## Section\n\n### Sub').html).to.equal('<h2 id="faq-section">Section</h2>\n<h3 id="faq-sub">Sub</h3>\n');
    });

    it('starts counting afresh for every article', () => {
      expect(renderMarkdown('# Intro').headings[0]!.id).to.equal('faq-intro');
      expect(renderMarkdown('# Intro').headings[0]!.id).to.equal('faq-intro');
    });
  });

  describe('tables and text', () => {
    it('wraps tables so they can scroll and aligns columns without inline style', () => {
      const { html } = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
      expectSafeDom(html);
      const [wrapper] = byTag(html, 'div');
      expect(attr(wrapper!, 'class')).to.equal('table-wrap');
      expect(wrapper!.childNodes.some((child) => 'tagName' in child && child.tagName === 'table')).to.equal(true);
      expect(byTag(html, 'td').map((cell) => attr(cell, 'class'))).to.deep.equal(['align-left', 'align-center', 'align-right']);
    });

    it('gives the visible text, decoded and with whitespace collapsed', () => {
      const { text } = renderMarkdown('# Fees\n\nNone &amp; **free**, <b>really</b>.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![alt](/x.png) `x < y`');
      expect(text).to.equal('Fees None & free, <b>really</b>. one two a b 1 2 x < y');
    });
  });

  describe('size limit', () => {
    it('refuses a body over the limit with 413 before parsing', () => {
      let caught: unknown;
      try {
        renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS + 1));
      } catch (error) {
        caught = error;
      }
      expectLoketError(caught, 413, 'too_large');
      expect((caught as Error).message).to.equal('The article body is too long (at most 100,000 characters).');
    });

    it('renders a body of exactly the limit', () => {
      expect(renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS)).text).to.have.length(MAX_MARKDOWN_CHARS);
    });
  });

  describe('the budgeted renderer', () => {
    let renderer: MarkdownRenderer;

    before(async () => {
      renderer = createMarkdownRenderer();
      await renderer.render('warm-up'); // the worker's start-up is not what these tests time
    });

    after(async () => {
      await renderer.close();
    });

    it('renders a normal article the same as renderMarkdown', async () => {
      expect(ARTICLE.length).to.be.within(1900, 2600);
      const direct = renderMarkdown(ARTICLE);
      expectSafeDom(direct.html);
      expect(direct.headings.map((heading) => heading.id)).to.deep.equal([
        'faq-wachtwoord-vergeten', 'faq-stappen', 'faq-veelgestelde-vragen', 'faq-stappen-2', 'faq-tips-voor-een-sterk-wachtwoord',
      ]);
      expect(await renderer.render(ARTICLE)).to.deep.equal(direct);
    });

    it('refuses a body over the limit with 413', async () => {
      const started = Date.now();
      const caught = await renderer.render('*'.repeat(60_000) + 'a' + '*'.repeat(60_000)).catch((error: unknown) => error);
      expectLoketError(caught, 413, 'too_large');
      expect(Date.now() - started).to.be.below(500);
    });

    // markdown-it's pathological cases, scaled to fit the size limit (60k `*` on each side would be refused as too large).
    const pathological: Record<string, string> = {
      '50k * + a + 50k *': '*'.repeat(49_999) + 'a' + '*'.repeat(49_999),
      '10k [a': '[a'.repeat(10_000),
      '30k _a': '_a '.repeat(30_000),
      '50k nested >': '>'.repeat(50_000) + ' a',
      '50k nested > with spaces': '> '.repeat(50_000),
      'nested brackets': '['.repeat(50_000) + ']'.repeat(50_000),
      'nested links': '[a]('.repeat(25_000),
      'nested images': '!['.repeat(50_000),
      'unclosed emphasis mix': '*a_'.repeat(33_000),
      'link openers and emphasis': '[*'.repeat(50_000),
    };

    for (const [name, source] of Object.entries(pathological)) {
      it(`renders or refuses ${name} within the budget without blocking the event loop`, async () => {
        let ticks = 0;
        const ticker = setInterval(() => {
          ticks += 1;
        }, 5);
        const started = performance.now();
        const outcome = await renderer.render(source).then(
          (rendered) => ({ rendered, error: undefined }),
          (error: unknown) => ({ rendered: undefined, error }),
        );
        const elapsed = performance.now() - started;
        clearInterval(ticker);

        if (outcome.error === undefined) expectSafeDom(outcome.rendered!.html);
        else expectLoketError(outcome.error, 422, 'too_complex');
        // Not a speed check: only that the call settles (a hang would end here, not in mocha's timeout).
        expect(elapsed).to.be.below(15_000);
        // Rendered on this thread, the whole render would run before the ticker could fire even once. Half a
        // second leaves room for a loaded machine that deschedules this process for a while (CI flaked at 50 ms).
        if (elapsed > 500) expect(ticks, `ticks in ${Math.round(elapsed)} ms`).to.be.greaterThan(0);
      });
    }
  });

  describe('the time budget', () => {
    // `[*` repeated takes markdown-it most of a second; the test proves it, so a faster markdown-it fails it loudly.
    const slow = '[*'.repeat(50_000);

    it('rejects a job over budget with too_complex and runs the jobs behind it on a fresh worker', async function () {
      const started = performance.now();
      renderMarkdown(slow);
      const direct = performance.now() - started;
      // The budget is a quarter of what this machine needs for the input, so the job is over budget here.
      if (direct < 40) this.skip();

      const renderer = createMarkdownRenderer({ timeBudgetMs: Math.round(direct / 4) });
      try {
        await renderer.render('warm-up');
        const overBudget = renderer.render(slow).catch((error: unknown) => error);
        const behind = [renderer.render('# Next'), renderer.render(ARTICLE)];
        expectLoketError(await overBudget, 422, 'too_complex');
        expect(((await overBudget) as Error).message).to.equal('The article is too complex to render; simplify it.');
        const [next, article] = await Promise.all(behind);
        expect(next).to.deep.equal(renderMarkdown('# Next'));
        expect(article).to.deep.equal(renderMarkdown(ARTICLE));
        expect(await renderer.render('again')).to.deep.equal(renderMarkdown('again'));
      } finally {
        await renderer.close();
      }
    });

    it('close() rejects pending jobs and refuses new ones', async () => {
      const renderer = createMarkdownRenderer();
      const pending = renderer.render(slow).catch((error: unknown) => error);
      await renderer.close();
      expect(await pending).to.be.instanceOf(Error);
      const afterClose = await renderer.render('x').catch((error: unknown) => error);
      expect((afterClose as Error).message).to.match(/closed/);
    });

    it('does not keep a process alive once its jobs are done', () => {
      const rendererUrl = pathToFileURL(new URL('../../plugin/faq/markdown/renderer.ts', import.meta.url).pathname).href;
      const script = [
        `import { createMarkdownRenderer } from ${JSON.stringify(rendererUrl)};`,
        'const renderer = createMarkdownRenderer();',
        "const rendered = await renderer.render('# Done');",
        'console.log(rendered.html);',
      ].join('\n');
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(child.signal, 'the process had to be killed').to.equal(null);
      expect(child.stderr).to.equal('');
      expect(child.status).to.equal(0);
      expect(child.stdout).to.equal('<h2 id="faq-done">Done</h2>\n\n');
    });
  });
});
