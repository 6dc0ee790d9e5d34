import type { Actor } from '../access/actor.js';
import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';
import type { TicketState } from '../tickets/schema.js';

/** The demo's queues, each bound to one of the demo groups (printed with the demo accounts). */
export const DEMO_QUEUES = [
  { name: 'Service desk', group: 'users', comment: 'Anything else: every customer user may file here.' },
  { name: 'IT support', group: 'it-support', comment: 'Accounts, laptops, e-mail and VPN.' },
  { name: 'Facilities', group: 'facilities', comment: 'Desks, rooms, access badges and the building.' },
];

/** Arne works the service desk and IT; Anouk works facilities and may look into the service desk (`ro`). */
const AGENT_GROUPS: Record<string, { group: string; permissions: string[] }[]> = {
  agent: [
    { group: 'users', permissions: ['rw'] },
    { group: 'it-support', permissions: ['rw'] },
  ],
  agent2: [
    { group: 'facilities', permissions: ['rw'] },
    { group: 'users', permissions: ['ro'] },
  ],
};

/** One step after filing: a message (public or internal, optionally linking a kb/ article) or a state change. */
type Step =
  | { by: string; say: string; internal?: boolean; faq?: { category: string; slug: string; language: 'en' | 'nl' | 'nb' } }
  | { by: string; state: TicketState };

interface DemoTicket {
  customer: string;
  queue: string;
  service?: string;
  title: string;
  body: string;
  steps: Step[];
}

/** People write in their own language; the tickets end in every state, across both customers. */
const TICKETS: DemoTicket[] = [
  {
    customer: 'pieter.jansen',
    queue: 'Service desk',
    service: 'IT::E-mail',
    title: 'Outlook vraagt steeds om mijn wachtwoord',
    body: 'Sinds vanochtend vraagt Outlook elke paar minuten opnieuw om mijn wachtwoord. Ik heb het niet gewijzigd.',
    steps: [],
  },
  {
    customer: 'jan.devries',
    queue: 'IT support',
    title: 'Laptop voor nieuwe collega per 1 maart',
    body: 'Op 1 maart begint een nieuwe collega bij de planning. Kunnen jullie een laptop met de standaardsoftware klaarzetten?',
    steps: [{ by: 'agent', say: 'Goed dat u het op tijd meldt. We zetten een laptop klaar. Wilt u de naam van de collega bevestigen, zodat we het account kunnen aanmaken?' }],
  },
  {
    customer: 'sanne.bakker',
    queue: 'Facilities',
    service: 'Facilities::Access badge',
    title: 'Toegangspas werkt niet bij de achteringang',
    body: 'Mijn pas wordt sinds maandag geweigerd bij de achteringang. De hoofdingang werkt wel.',
    steps: [
      { by: 'agent2', say: 'Wilt u de pas bij de receptie afgeven? Dan programmeren we hem opnieuw en krijgt u hem dezelfde dag terug.' },
      { by: 'agent2', state: 'pending' },
    ],
  },
  {
    customer: 'ola.hansen',
    queue: 'IT support',
    service: 'IT::Laptop',
    title: 'VPN kobler fra hver time',
    body: 'Når jeg jobber hjemmefra, mister jeg VPN-forbindelsen omtrent hver time og må logge inn på nytt.',
    steps: [
      { by: 'agent', say: 'Same pattern as at Acme last month: client 5.1 drops the tunnel on re-key. Check the version first.', internal: true },
      { by: 'agent', say: 'Takk for beskjeden. Hvilken versjon av VPN-klienten bruker du? Du finner den under Hjelp → Om.' },
    ],
  },
  {
    customer: 'kari.nordmann',
    queue: 'Service desk',
    title: 'Skriveren i 3. etasje skriver ut blanke sider',
    body: 'Skriveren ved kjøkkenet i 3. etasje skriver bare ut blanke ark.',
    steps: [
      { by: 'agent', say: 'Tonerkassetten var tom og er byttet. Si fra hvis det skjer igjen.' },
      { by: 'agent', state: 'resolved' },
    ],
  },
  {
    customer: 'ingrid.odegard',
    queue: 'Service desk',
    service: 'IT::Accounts::Password reset',
    title: 'Har glemt passordet mitt',
    body: 'Jeg kom tilbake fra ferie og husker ikke passordet mitt lenger.',
    steps: [
      { by: 'agent', say: 'Du kan selv velge et nytt passord. Artikkelen under viser hvordan.', faq: { category: 'account', slug: 'reset-password', language: 'nb' } },
      { by: 'ingrid.odegard', say: 'Det fungerte, takk!' },
      { by: 'ingrid.odegard', state: 'closed' },
    ],
  },
  {
    customer: 'lars.berg',
    queue: 'IT support',
    title: 'Access to the shared project drive',
    body: 'I need read access to the project drive of the Bergen office for the migration project.',
    steps: [],
  },
  {
    customer: 'pieter.jansen',
    queue: 'Facilities',
    service: 'Facilities::Desk',
    title: 'Bureau staat te laag',
    body: 'Mijn bureau op kamer 1.03 staat te laag en is niet te verstellen.',
    steps: [
      { by: 'agent2', say: 'We hebben het bureau donderdag op uw hoogte gezet. Laat het weten als het nog niet goed is.' },
      { by: 'agent2', state: 'resolved' },
    ],
  },
];

/**
 * Queues, the demo agents' groups and tickets filed, answered and moved through the ticket service as
 * the real people, so every screen has something true to show: each state, an internal note, a linked
 * FAQ article, and company tickets next to one's own.
 */
export async function seedDemoTickets(c: Container, admin: Actor, subject: AuditSubject): Promise<void> {
  const { queues, agentGroups, agents, customerUsers, actors, tickets, faqReader } = c.services;
  for (const queue of DEMO_QUEUES) await queues.create(admin, { ...queue, validity: 'valid' }, subject);
  for (const [login, groups] of Object.entries(AGENT_GROUPS)) await agentGroups.setGroups(admin, login, { groups }, subject);

  const people = new Map<string, Actor>();
  async function actorFor(login: string): Promise<Actor> {
    const known = people.get(login);
    if (known) return known;
    const agent = await agents.findByLogin(login);
    const principal = agent ? { type: 'agent' as const, id: agent.id } : { type: 'customer-user' as const, id: (await customerUsers.findByLogin(login))?.id ?? 0 };
    const actor = await actors.resolve(principal, 'session');
    if (!actor) throw new Error(`demo person ${login} missing`);
    people.set(login, actor);
    return actor;
  }

  for (const demo of TICKETS) {
    const customer = await actorFor(demo.customer);
    const { ticket } = await tickets.create(customer, { title: demo.title, body: demo.body, queue: demo.queue, ...(demo.service && { service: demo.service }) }, null);
    for (const step of demo.steps) {
      const actor = await actorFor(step.by);
      if ('state' in step) {
        await tickets.changeState(actor, ticket.number, step.state);
        continue;
      }
      const faqArticleIds = step.faq ? [(await faqReader.articleBySlug(actor, step.faq.category, step.faq.slug, step.faq.language)).article.id] : undefined;
      await tickets.addMessage(actor, ticket.number, { body: step.say, ...(step.internal && { internal: true }), ...(faqArticleIds && { faqArticleIds }) });
    }
  }
}
