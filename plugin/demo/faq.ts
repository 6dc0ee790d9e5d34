import { join } from 'node:path';
import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';
import { readKbDirectory } from '../faq/kb/files.js';
import { packageRoot } from '../paths.js';

/**
 * The shipped knowledge base (kb/), imported as `loket kb import` would, plus one article waiting in
 * review (written by `agent`, for `agent2` to approve) so the review queue has something to show.
 */
export async function seedDemoFaq(c: Container, subject: AuditSubject): Promise<void> {
  const report = await c.services.kb.importFromOperator(await readKbDirectory(join(packageRoot, 'kb')), subject);
  for (const bad of [...report.categories.invalid.map((i) => `${i.slug}: ${i.reason}`), ...report.articles.invalid.map((i) => `${i.file}: ${i.reason}`)]) {
    c.logger.warn({ entry: bad }, 'demo knowledge base entry not imported');
  }
  const agent = await c.services.agents.findByLogin('agent');
  const author = agent ? await c.services.actors.resolve({ type: 'agent', id: agent.id }, 'session') : null;
  if (!author) return;
  const draft = await c.services.faqArticles.create(
    author,
    {
      slug: 'guest-wifi',
      title: 'Connecting a visitor to the guest Wi-Fi',
      summary: 'Visitors use the network "Loket-Guest" with a day code from the reception; it reaches the internet only.',
      body: [
        '## Before the visit',
        '',
        'Ask the reception for a **day code** one working day ahead. Codes are valid until midnight.',
        '',
        '## On the day',
        '',
        '1. Choose the network `Loket-Guest`.',
        '2. Open any web page; the sign-in page appears.',
        '3. Enter the day code and accept the terms of use.',
        '',
        'The guest network reaches the internet only: no printers, no file shares. Colleagues use the',
        'company network, never the guest network.',
      ].join('\n'),
      language: 'en',
      category: 'workplace',
      keywords: ['wifi', 'guest', 'visitor', 'wireless'],
      visibility: 'public',
    },
    subject,
  );
  await c.services.faqArticles.submit(author, draft.id, subject);
}
