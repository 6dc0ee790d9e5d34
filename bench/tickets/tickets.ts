/**
 * The tickets the bench files: a title and a body of a few sentences from a small helpdesk phrase list,
 * varied by the request's number so no two bodies are the same (about 300 to 600 characters, the size of
 * a short real report), for the given queue and customer user.
 */

const SUBJECTS = [
  'Printer on the third floor does not print',
  'Cannot connect to the VPN from home',
  'Outlook keeps asking for my password',
  'New laptop for a starting colleague',
  'Shared mailbox missing in my mail client',
  'Teams meeting audio drops after a few minutes',
  'Access to the finance folder',
  'Monitor flickers when docked',
];

const SENTENCES = [
  'It started this morning after the update was installed.',
  'I already restarted the computer twice, without any change.',
  'Two colleagues in the same room have the same problem.',
  'The error message says that the connection was reset by the server.',
  'It worked fine last week, and nothing was changed on my side as far as I know.',
  'Could you please have a look at it today, as I need it for a customer meeting?',
  'I tried the steps in the knowledge base article, but they did not help.',
  'Please call me on my mobile if you need more details.',
];

export function ticketBody(n: number, queue: string, customerUser: string): string {
  const sentences = Array.from({ length: 3 + (n % 5) }, (_, i) => SENTENCES[(n + i * 3) % SENTENCES.length]!);
  return JSON.stringify({
    title: `${SUBJECTS[n % SUBJECTS.length]!} (#${n})`,
    body: `Hello,\n\n${sentences.join(' ')}\n\nReference ${n}.\n\nKind regards`,
    queue,
    customerUser,
  });
}
