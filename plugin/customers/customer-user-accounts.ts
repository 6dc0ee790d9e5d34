import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { principalKey, type Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/passwords.js';
import type { RunInTransaction } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { forbidden, notFound, ruleViolation, validationError } from '../errors.js';
import { isLanguage, type Translator } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { Logger } from 'pino';
import type { CustomerUserRecord } from './backends/backend.js';
import { searchTermsFor, writeOf, type DbBackend } from './backends/db/backend.js';
import type { CustomerUserStore } from './backends/db/store.js';
import type { FieldValues } from './field-map.js';
import type { TokenStore } from './token-store.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** 32 random bytes (256 bits), URL-safe; only its hash is stored. */
const newToken = () => randomBytes(32).toString('base64url');
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What a new password must be wherever customer users choose one themselves (set-password link, own profile). */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `The password may have at most ${MAX_PASSWORD_LENGTH} characters.`);

function requireNewPassword(password: string): void {
  const issue = newPasswordSchema.safeParse(password).error?.issues[0];
  if (issue) throw validationError(issue.message, 'password');
}

export type PasswordLinkOutcome = { sent: true } | { sent: false; reason: 'no-base-url' | 'mail-off' | 'mail-failed' };

export interface AccountDeps {
  logger: Logger;
  store: CustomerUserStore;
  db: DbBackend;
  tokens: TokenStore;
  audit: AuditService;
  transaction: RunInTransaction;
  mailer: Mailer;
  translator: Translator;
  defaultLanguage: 'en' | 'nl' | 'nb';
  passwordLinkHours: number;
  endSessions: (principalKey: string) => Promise<unknown>;
}

/** Customer users' credentials: portal login, one-time set-password links, and GDPR anonymisation. */
export function createCustomerUserAccounts(deps: AccountDeps) {
  const passwordLinkSubject = (user: CustomerUserRecord): AuditSubject => ({
    kind: 'customer', login: user.login, effectiveCustomerId: user.customerId, delegationId: null, ip: null,
  });

  /** A new one-time set-password token (older open ones stop working); only its hash is stored. */
  async function issueToken(userId: number): Promise<string> {
    const token = newToken();
    await deps.transaction(async (tx) => {
      await deps.tokens.retireOpen(userId, 'set-password', tx);
      await deps.tokens.insert(userId, 'set-password', sha256(token), new Date(Date.now() + deps.passwordLinkHours * 3_600_000), tx);
    });
    return token;
  }

  async function sendLink(user: CustomerUserRecord, linkBase: string): Promise<boolean> {
    const token = await issueToken(user.id);
    const t = deps.translator.t(isLanguage(user.language) ? user.language : deps.defaultLanguage);
    const name = [user.fields.firstName, user.fields.lastName].filter(Boolean).join(' ') || user.login;
    const link = `${linkBase.replace(/\/$/, '')}/password/set/${token}`;
    const sent = await deps.mailer.send({
      to: user.email,
      subject: t('passwordLink.mailSubject'),
      text: t('passwordLink.mailBody', { name, login: user.login, link, hours: deps.passwordLinkHours }),
    });
    return sent.delivered;
  }

  return {
    /**
     * Portal login with login or e-mail address. Unknown people, wrong passwords and invalid accounts
     * cost the same argon2 work and give the same answer.
     */
    async verifyCredentials(loginOrEmail: string, password: string): Promise<CustomerUserRecord | null> {
      const key = loginOrEmail.trim().toLowerCase();
      let stored = await deps.store.findByLogin(key);
      if (!stored && key.includes('@')) {
        const ids = await deps.store.findIdsByEmail(key);
        // An address shared by several users cannot say who is signing in: they use their login.
        stored = ids.length === 1 ? await deps.store.findById(ids[0]!) : null;
      }
      const usable = stored?.source === deps.db.key ? stored : null;
      const ok = await verifyPassword(usable ? await deps.store.passwordHashOf(usable.id) : null, password);
      if (!usable || !ok || usable.validity !== 'valid') return null;
      await deps.store.recordLogin(usable.id);
      return deps.db.findById(usable.id);
    },

    /**
     * Mails a one-time link to set a password; older open links stop working. A mail server that fails
     * is reported, not thrown: right after a create, an error would lose the generated password the
     * admin sees only once. `linkBase` null means there is no trustworthy public address (no BASE_URL).
     */
    async sendPasswordLink(actor: Actor, user: CustomerUserRecord, linkBase: string | null, subject: AuditSubject): Promise<PasswordLinkOutcome> {
      requireCapability(actor, 'customer-user.manage');
      if (user.backend !== deps.db.key) throw ruleViolation('This user signs in with their directory password.', undefined, 'directory_user');
      if (user.validity !== 'valid' || user.anonymisedAt) throw ruleViolation('This user is not valid; make them valid before sending a link.', 'validity', 'not_valid');
      if (linkBase === null) return { sent: false, reason: 'no-base-url' };
      let outcome: PasswordLinkOutcome;
      try {
        outcome = (await sendLink(user, linkBase)) ? { sent: true } : { sent: false, reason: 'mail-off' };
      } catch (err) {
        deps.logger.warn({ err, login: user.login }, 'set-password link could not be mailed');
        outcome = { sent: false, reason: 'mail-failed' };
      }
      await deps.audit.record(subject, { action: 'customer-user.password-link', objectType: 'customer-user', objectId: user.login, after: outcome });
      return outcome;
    },

    /**
     * For Loket's own flows (a delegation's invitation to an address without an account): the path of a
     * one-time set-password link, which the caller mails in its own words. No access check: never route it.
     */
    async setUpPath(user: CustomerUserRecord): Promise<{ path: string; hours: number }> {
      if (user.backend !== deps.db.key) throw ruleViolation('This user signs in with their directory password.', undefined, 'directory_user');
      return { path: `/password/set/${await issueToken(user.id)}`, hours: deps.passwordLinkHours };
    },

    /** "Forgot password": the same answer whether or not the address belongs to anybody. */
    async requestPasswordLink(email: string, linkBase: string): Promise<void> {
      const ids = await deps.store.findIdsByEmail(email.trim().toLowerCase());
      if (ids.length !== 1) return;
      const user = await deps.db.findById(ids[0]!);
      if (user?.validity !== 'valid' || user.backend !== deps.db.key) return;
      await sendLink(user, linkBase);
      await deps.audit.record(passwordLinkSubject(user), { action: 'customer-user.password-link', objectType: 'customer-user', objectId: user.login, after: { requested: true } });
    },

    passwordLinkIsOpen: (token: string) => (TOKEN_SHAPE.test(token) ? deps.tokens.isOpen(sha256(token), 'set-password', new Date()) : Promise.resolve(false)),

    /** Uses the link once: sets the password, ends the user's other sessions. */
    async setPasswordWithLink(token: string, password: string): Promise<CustomerUserRecord> {
      requireNewPassword(password);
      const invalidLink = () => ruleViolation('This link has expired or was already used. Ask for a new one.', 'token', 'invalid_link');
      if (!TOKEN_SHAPE.test(token)) throw invalidLink();
      const hash = await hashPassword(password);
      const user = await deps.transaction(async (tx) => {
        const id = await deps.tokens.consume(sha256(token), 'set-password', new Date(), tx);
        const stored = id === null ? null : await deps.store.findById(id, tx);
        if (stored?.validity !== 'valid') throw invalidLink();
        await deps.store.setPasswordHash(stored.id, hash, tx);
        return stored;
      });
      await deps.endSessions(principalKey({ type: 'customer-user', id: user.id }));
      const record = (await deps.db.findById(user.id))!;
      await deps.audit.record(passwordLinkSubject(record), { action: 'customer-user.password-set', objectType: 'customer-user', objectId: record.login });
      return record;
    },

    /** Whether Loket keeps this person's password (a directory user changes it in the directory). */
    hasOwnPassword: (user: CustomerUserRecord): boolean => user.backend === deps.db.key && user.hasPassword,

    /**
     * A signed-in customer user replaces their own password, proving the current one. Every session of
     * theirs ends, so one someone else holds does too; the route gives the asking session a new id.
     */
    async changeOwnPassword(actor: Actor, current: string, next: string, subject: AuditSubject): Promise<void> {
      requireCapability(actor, 'profile.own');
      if (actor.principal.type !== 'customer-user') throw forbidden();
      const stored = await deps.store.findById(actor.principal.id);
      if (stored?.validity !== 'valid') throw forbidden();
      if (stored.source !== deps.db.key || !stored.hasPassword) {
        throw ruleViolation('Your password is managed by your organisation.', undefined, 'password_managed_elsewhere');
      }
      requireNewPassword(next);
      const accepted = current.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(await deps.store.passwordHashOf(stored.id), current));
      if (!accepted) {
        deps.logger.info({ login: actor.login }, 'password change refused: current password not accepted');
        throw ruleViolation('The current password is not accepted.', 'current', 'wrong_password');
      }
      if (next === current) throw ruleViolation('The new password must differ from the current one.', 'password', 'same_password');
      const hash = await hashPassword(next);
      await deps.transaction(async (tx) => {
        await deps.store.setPasswordHash(stored.id, hash, tx);
        // A link mailed earlier would otherwise still set a password behind the person's back.
        await deps.tokens.retireOpen(stored.id, 'set-password', tx);
        await deps.audit.record(subject, { action: 'customer-user.password-change', objectType: 'customer-user', objectId: actor.login }, tx);
      });
      await deps.endSessions(principalKey(actor.principal));
    },

    /**
     * GDPR: personal fields get anonymous stand-in values, the account is invalid and signs in nowhere; tickets,
     * relations and the audit trail stay. `confirm` must repeat the login, so it never happens by accident.
     */
    async anonymise(actor: Actor, login: string, confirm: string, subject: AuditSubject): Promise<CustomerUserRecord> {
      requireCapability(actor, 'customer-user.anonymise');
      const user = await deps.db.findByLogin(login.trim().toLowerCase());
      if (!user) throw notFound(`No customer user with login ${login}.`);
      if (confirm.trim().toLowerCase() !== user.login) throw validationError('confirm: type the login of the user to anonymise.', 'confirm');
      if (user.anonymisedAt) return user;
      const map = await deps.db.fieldMap();
      const standIns: FieldValues = Object.fromEntries(map.map((row) => [row.key, null]));
      Object.assign(standIns, {
        login: `anonymised-${user.id}`,
        email: `anonymised-${user.id}@anonymised.invalid`,
        firstName: 'Anonymised',
        lastName: `#${user.id}`,
        customerId: user.customerId,
      });
      await deps.transaction(async (tx) => {
        await deps.store.update(
          user.id,
          user.version,
          { ...writeOf(map, standIns), extra: {}, emailUnique: null, validity: 'invalid', passwordHash: null, anonymisedAt: toDbTime(), language: null },
          searchTermsFor(map, standIns),
          tx,
        );
        await deps.tokens.retireOpen(user.id, 'set-password', tx);
        // The record names the old login (what the admin typed) but copies no personal data again.
        await deps.audit.record(subject, { action: 'customer-user.anonymise', objectType: 'customer-user', objectId: user.login, after: { login: standIns.login } }, tx);
      });
      await deps.endSessions(principalKey({ type: 'customer-user', id: user.id }));
      return (await deps.db.findById(user.id))!;
    },
  };
}

export type CustomerUserAccounts = ReturnType<typeof createCustomerUserAccounts>;
