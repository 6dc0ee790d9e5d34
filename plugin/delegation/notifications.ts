import type { Logger } from 'pino';
import { isLanguage, type Language, type Translator } from '../i18n/index.js';
import { createBackgroundMail } from '../mail/background.js';
import type { Mailer } from '../mail/mailer.js';
import type { Delegation, DelegationStatus } from './types.js';

export interface Contact {
  name: string;
  email: string | null;
  language: string | null;
}

export type SwitchDirection = 'in' | 'out' | 'ended';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Mails of delegation, each person in their own language: the invitation to the delegate (with a set-up
 * link when the address had no account), and a notice to every key user of the organisation on each
 * switch in and out (mandatory, as the seed argues: people must know who works in their organisation).
 */
export function createDelegationNotifier(deps: { mailer: Pick<Mailer, 'enabled' | 'send'>; translator: Translator; logger: Logger; baseUrl: string | undefined; defaultLanguage: Language }) {
  const mail = createBackgroundMail(deps.mailer, deps.logger);
  const tFor = (language: string | null) => deps.translator.t(isLanguage(language) ? language : deps.defaultLanguage);
  const link = (path: string): string | null => (deps.baseUrl ? `${deps.baseUrl.replace(/\/$/, '')}${path}` : null);

  return {
    invitation(to: Contact & { email: string }, d: Delegation, facts: { customerName: string; grantor: string; setUp: { login: string; path: string; hours: number } | null }): void {
      const t = tFor(to.language);
      const vars = { customer: facts.customerName, grantor: facts.grantor, role: t(`delegationMail.roles.${d.role}`), startsAt: when(d.startsAt), endsAt: d.endsAt ? when(d.endsAt) : t('delegationMail.openEnded') };
      const lines = [t('delegationMail.greeting', { name: to.name }), '', t('delegationMail.invitation.intro', vars), t('delegationMail.invitation.reason', { reason: d.reason }), ''];
      const setUpUrl = facts.setUp ? link(facts.setUp.path) : null;
      const signInUrl = link('/login');
      if (facts.setUp && setUpUrl) lines.push(t('delegationMail.invitation.setUp', { url: setUpUrl, login: facts.setUp.login, hours: facts.setUp.hours }));
      else lines.push(signInUrl ? t('delegationMail.invitation.signIn', { ...vars, url: signInUrl }) : t('delegationMail.invitation.noLink', vars));
      lines.push('', t('delegationMail.signature'));
      mail.send({ to: to.email, subject: t('delegationMail.invitation.subject', vars), text: lines.join('\n') }, { delegation: d.id, kind: 'invitation' });
    },

    /** One mail per key user: who switched, in or out, and how to review the delegation. */
    switched(keyUsers: readonly Contact[], d: Delegation, facts: { person: string; email: string; customerName: string; direction: SwitchDirection; at: string; status: DelegationStatus }): void {
      for (const to of keyUsers) {
        if (!to.email) continue;
        const t = tFor(to.language);
        const vars = { person: facts.person, email: facts.email, customer: facts.customerName, at: when(facts.at), id: d.id, role: t(`delegationMail.roles.${d.role}`), endsAt: d.endsAt ? when(d.endsAt) : t('delegationMail.openEnded'), status: t(`delegationMail.status.${facts.status}`) };
        const subjectKey = facts.direction === 'in' ? 'subjectIn' : facts.direction === 'out' ? 'subjectOut' : 'subjectEnded';
        const manage = link('/portal/delegations');
        const lines = [t('delegationMail.greeting', { name: to.name }), '', t(`delegationMail.switch.${facts.direction}`, vars), '', t('delegationMail.switch.why', vars)];
        if (manage) lines.push(t('delegationMail.switch.manage', { url: manage }));
        lines.push('', t('delegationMail.signature'));
        mail.send({ to: to.email, subject: t(`delegationMail.switch.${subjectKey}`, vars), text: lines.join('\n') }, { delegation: d.id, kind: `switch-${facts.direction}` });
      }
    },

    settle: () => mail.settle(),
  };
}

export type DelegationNotifier = ReturnType<typeof createDelegationNotifier>;
