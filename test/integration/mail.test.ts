import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createMailer } from '../../plugin/mail/mailer.js';

/** A real SMTP server in this process; tests read what nodemailer actually delivered. */
async function startSmtp(): Promise<{ url: string; messages: ParsedMail[]; close(): Promise<void> }> {
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
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('mail', () => {
  it('delivers through SMTP_URL with the configured sender, UTF-8 intact', async () => {
    const smtp = await startSmtp();
    const mailer = createMailer({ url: smtp.url, from: 'Loket <loket@example.test>' }, pino({ level: 'silent' }));
    try {
      const result = await mailer.send({ to: 'kari@example.test', subject: 'Søknad mottatt ✓', text: 'Hei Kari, vi har mottatt saken din.' });
      expect(result.delivered).to.equal(true);
      expect(smtp.messages).to.have.length(1);
      const [mail] = smtp.messages;
      expect(mail!.subject).to.equal('Søknad mottatt ✓');
      expect(mail!.from?.text).to.contain('loket@example.test');
      expect(mail!.text?.trim()).to.equal('Hei Kari, vi har mottatt saken din.');
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('is off without SMTP_URL and says so instead of failing', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ from: 'x@example.test' }, pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }));
    expect(mailer.enabled).to.equal(false);
    expect(await mailer.send({ to: 'a@example.test', subject: 'hi', text: 'x' })).to.deep.equal({ delivered: false });
    expect(lines.join('')).to.contain('mail is off');
  });
});
