import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  readonly enabled: boolean;
  send(message: MailMessage): Promise<{ delivered: boolean; messageId?: string }>;
  close(): void;
}

/** SMTP through nodemailer when SMTP_URL is set; otherwise mail is off and says so in the log. */
export function createMailer(smtp: { url?: string | undefined; from: string }, logger: Logger): Mailer {
  if (!smtp.url) {
    return {
      enabled: false,
      send(message) {
        logger.info({ to: message.to, subject: message.subject }, 'mail is off (SMTP_URL not set); message not sent');
        return Promise.resolve({ delivered: false });
      },
      close: () => undefined,
    };
  }
  const transport: Transporter = nodemailer.createTransport(smtp.url);
  return {
    enabled: true,
    async send(message) {
      const info = (await transport.sendMail({ from: smtp.from, ...message })) as { messageId?: string };
      return { delivered: true, messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
