import { expect } from 'chai';
import pino from 'pino';
import { createMailer } from '../../plugin/mail/mailer.js';
import { startSmtp } from '../helpers/smtp.js';

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
