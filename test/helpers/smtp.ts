import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the next message to arrive (or one already waiting beyond `seen`). */
  next(seen?: number, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server in this process; tests read what nodemailer actually delivered. */
export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          done();
        },
        (err: Error) => done(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async next(seen = messages.length, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (messages.length <= seen) {
        if (Date.now() > until) throw new Error('no mail arrived');
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages[seen]!;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
