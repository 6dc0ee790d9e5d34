import type { Logger } from 'pino';
import { isLanguage, type Language, type Translator } from '../i18n/index.js';
import { createBackgroundMail } from '../mail/background.js';
import type { Mailer } from '../mail/mailer.js';

export interface MailRecipient {
  name: string;
  email: string | null;
  language: string | null;
}

export interface RunFacts {
  id: number;
  title: string;
  target: string;
  requester: string;
}

export type FormNotice =
  | { kind: 'approval-requested'; approvalId: number; expiresAt: string; onBehalfOf?: string }
  | { kind: 'approval-reminder'; approvalId: number; expiresAt: string; onBehalfOf?: string }
  | { kind: 'run-outcome'; outcome: 'approved' | 'rejected' | 'completed' | 'failed' | 'expired'; detail: string | null };

/**
 * Mails of delegated forms, each person in their own language: approvers when their step opens (a link
 * to `/approvals/<id>`, which asks for a login first) and once more before expiry (their holiday deputy
 * gets the same, saying for whom: `onBehalfOf`); requesters when
 * their run is approved, rejected, done, failed or expired. Sent after the change is committed; a
 * failing mail server is logged and never fails a request. `settle()` waits for mails in flight (close).
 */
export function createFormNotifier(deps: { mailer: Pick<Mailer, 'enabled' | 'send'>; translator: Translator; logger: Logger; baseUrl: string | undefined; defaultLanguage: Language }) {
  const mail = createBackgroundMail(deps.mailer, deps.logger);
  const languageOf = (value: string | null): Language => (isLanguage(value) ? value : deps.defaultLanguage);
  const link = (path: string): string | null => (deps.baseUrl ? `${deps.baseUrl.replace(/\/$/, '')}${path}` : null);

  function compose(to: MailRecipient, run: RunFacts, notice: FormNotice): { subject: string; text: string } {
    const t = deps.translator.t(languageOf(to.language));
    const facts = { title: run.title, target: run.target, requester: run.requester, id: run.id };
    const lines = [t('formsMail.greeting', { name: to.name }), ''];
    let subject: string;
    if (notice.kind === 'run-outcome') {
      subject = t(`formsMail.subject.${notice.outcome}`, facts);
      lines.push(t(`formsMail.intro.${notice.outcome}`, facts));
      if (notice.detail) lines.push('', notice.detail);
      const url = link(`/runs/${run.id}`);
      if (url) lines.push('', t('formsMail.runLink', { url }));
    } else {
      const reminder = notice.kind === 'approval-reminder';
      subject = t(reminder ? 'formsMail.subject.reminder' : 'formsMail.subject.approval', facts);
      lines.push(t(reminder ? 'formsMail.intro.reminder' : 'formsMail.intro.approval', facts));
      if (notice.onBehalfOf) lines.push('', t('formsMail.deputy', { name: notice.onBehalfOf }));
      lines.push('', t('formsMail.expires', { at: notice.expiresAt.slice(0, 16).replace('T', ' ') + ' UTC' }));
      const url = link(`/approvals/${notice.approvalId}`);
      lines.push('', url ? t('formsMail.approvalLink', { url }) : t('formsMail.noLink'));
    }
    lines.push('', t('formsMail.signature'));
    return { subject, text: lines.join('\n') };
  }

  function notify(to: MailRecipient, run: RunFacts, notice: FormNotice): void {
    if (!to.email) return;
    mail.send({ to: to.email, ...compose(to, run, notice) }, { run: run.id, kind: notice.kind });
  }

  return { notify, settle: () => mail.settle() };
}

export type FormNotifier = ReturnType<typeof createFormNotifier>;
