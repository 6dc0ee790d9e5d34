import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { Actor } from '../actor.js';
import { auditSubjectOf, type AuditSubject } from '../../audit/service.js';
import { etagOf, expectedVersion, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { methodNotAllowed } from '../../errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { namedPatchSchema } from '../groups/schema.js';
import type { NamedEntry, NamedListQuery } from '../groups/store.js';
import { nameParam, namedListQuery } from './schemas.js';

/** What groups and services share: list, create, read, change; validity instead of deletion. */
export interface NamedEntryService {
  list(actor: Actor, query: NamedListQuery): Promise<{ items: NamedEntry[]; total: number; limit: number }>;
  get(actor: Actor, name: string): Promise<NamedEntry>;
  create(actor: Actor, input: unknown, subject: AuditSubject): Promise<NamedEntry>;
  update(actor: Actor, name: string, input: unknown, subject: AuditSubject, expectedVersion?: number): Promise<NamedEntry>;
}

export const nameOf = (req: Request): string => parseInput(nameParam, req.params.name);

/** `collection` and `collection/:name` on `router`, answering with `present`. */
export function namedEntryRoutes<T>(
  router: Router,
  opts: { collection: string; what: string; service: NamedEntryService; createSchema: z.ZodType; present: (entry: NamedEntry) => T },
): void {
  const answer = (res: Response, entry: NamedEntry) => {
    res.set('ETag', etagOf(entry.version)).json(opts.present(entry));
  };

  router.get(opts.collection, async (req, res) => {
    const page = await opts.service.list(currentActor(req), parseQuery(namedListQuery, req.query));
    res.json({ items: page.items.map(opts.present), total: page.total, limit: page.limit });
  });

  router.post(opts.collection, async (req, res) => {
    const actor = currentActor(req);
    const created = await opts.service.create(actor, parseBody(opts.createSchema, req.body), auditSubjectOf(actor, req.ip ?? null));
    res.status(201).location(`${req.baseUrl}${opts.collection}/${encodeURIComponent(created.name)}`);
    answer(res, created);
  });

  router.get(`${opts.collection}/:name`, async (req, res) => {
    answer(res, await opts.service.get(currentActor(req), nameOf(req)));
  });

  router.patch(`${opts.collection}/:name`, async (req, res) => {
    const actor = currentActor(req);
    const { version: bodyVersion, ...changes } = parseBody(namedPatchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), bodyVersion);
    answer(res, await opts.service.update(actor, nameOf(req), changes, auditSubjectOf(actor, req.ip ?? null), version));
  });

  router.delete(`${opts.collection}/:name`, (req, res) => {
    currentActor(req);
    res.set('Allow', 'GET, PATCH');
    throw methodNotAllowed(`A ${opts.what} is never deleted: set validity to invalid (PATCH {"validity":"invalid"}).`);
  });
}
