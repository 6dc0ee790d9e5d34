import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor, Principal } from '../access/actor.js';
import { can, requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { notFound, validationError } from '../errors.js';
import type { ApiToken, ApiTokenStore } from './api-token-store.js';

const PREFIX = 'lkt_';
/** 32 random bytes (256 bits) in base64url: what a client sends after `Bearer `. */
const TOKEN_PATTERN = /^lkt_[A-Za-z0-9_-]{43}$/;

const hashToken = (plain: string): string => createHash('sha256').update(plain).digest('hex');

export const newTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export interface IssuedToken {
  token: ApiToken;
  /** The secret, returned once; only its SHA-256 is stored. */
  plain: string;
}

export function createApiTokenService(deps: { store: ApiTokenStore; audit: AuditService }) {
  async function issue(principal: Principal, ownerLogin: string, input: unknown, subject: AuditSubject): Promise<IssuedToken> {
    const parsed = newTokenSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw validationError(issue?.message ?? 'Invalid token request.', issue?.path.join('.'));
    }
    const plain = PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = parsed.data.expiresInDays
      ? new Date(Date.now() + parsed.data.expiresInDays * 86_400_000).toISOString()
      : null;
    const token = await deps.store.insert({
      principalType: principal.type,
      principalId: principal.id,
      name: parsed.data.name,
      hash: hashToken(plain),
      hint: plain.slice(PREFIX.length, PREFIX.length + 6),
      createdBy: subject.login,
      expiresAt,
    });
    await deps.audit.record(subject, {
      action: 'api-token.create',
      objectType: 'api-token',
      objectId: token.id,
      after: { owner: ownerLogin, name: token.name, expiresAt },
    });
    return { token, plain };
  }

  return {
    issueFromOperator: issue,

    /** Agents make tokens for themselves; admins for any agent. */
    async issueAsActor(actor: Actor, owner: { principal: Principal; login: string }, input: unknown, subject: AuditSubject) {
      const own = owner.principal.type === actor.principal.type && owner.principal.id === actor.principal.id;
      requireCapability(actor, own ? 'api-token.own' : 'api-token.manage');
      return issue(owner.principal, owner.login, input, subject);
    },

    listOwn: (actor: Actor) => deps.store.listFor(actor.principal.type, actor.principal.id),

    listAll(actor: Actor, limit = 200) {
      requireCapability(actor, 'api-token.manage');
      return deps.store.listAll(limit);
    },

    async revoke(actor: Actor, id: number, subject: AuditSubject): Promise<void> {
      const token = await deps.store.findById(id);
      const own = token?.principalType === actor.principal.type && token.principalId === actor.principal.id;
      // Someone else's token id answers exactly like a missing one.
      if (!token || (!own && !can(actor, 'api-token.manage'))) throw notFound('No such token.');
      await deps.store.revoke(id);
      await deps.audit.record(subject, { action: 'api-token.revoke', objectType: 'api-token', objectId: id });
    },

    /** The principal behind a presented token, or null if it is malformed, unknown, revoked or expired. */
    async authenticate(plain: string, now = new Date()): Promise<Principal | null> {
      if (!TOKEN_PATTERN.test(plain)) return null;
      const token = await deps.store.findByHash(hashToken(plain));
      if (!token || token.revokedAt) return null;
      if (token.expiresAt && new Date(token.expiresAt) <= now) return null;
      // The row just read says whether last use is older than the store's one-minute step: most calls write nothing.
      if (!token.lastUsedAt || Date.parse(token.lastUsedAt) < now.getTime() - 60_000) await deps.store.touch(token.id, now);
      return { type: token.principalType, id: token.principalId };
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
