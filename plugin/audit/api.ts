import { Router } from 'express';
import { z } from 'zod';
import { validationError } from '../errors.js';
import type { ApiOperation } from '../web/openapi.js';
import { apiRequires, currentActor } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { auditListSchema, beforeIdField, limitField, objectField, optionalText, presentAuditEntry, sinceField, sinceToTimestamp } from './schema.js';
import type { AuditService } from './service.js';

const listQuery = z.object({
  actor: optionalText(191),
  object: objectField,
  since: sinceField,
  limit: limitField,
  beforeId: beforeIdField,
});

export const auditOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/audit',
    summary:
      'Audit log entries, newest first. Query: actor (login), object (type or type:id), since (date or date-time), ' +
      'limit (1-1000, default 100), beforeId (the last id of the previous page). total ignores beforeId.',
    tag: 'audit',
    response: auditListSchema,
    errors: { 400: 'A query parameter is invalid or repeated', 401: 'No valid session or token', 403: 'Not allowed to read the audit log' },
  },
];

export function auditApi(deps: { audit: AuditService }): Router {
  const router = Router();
  router.use('/audit', apiRequires('audit.read'));

  router.get('/audit', async (req, res) => {
    // A misspelt filter must fail, not quietly return everything; zod's strict mode would not name the key.
    const unknown = Object.keys(req.query).find((key) => !Object.hasOwn(listQuery.shape, key));
    if (unknown !== undefined) throw validationError(`${unknown}: unknown query parameter`, unknown);
    const query = parseInput(listQuery, req.query);
    const page = await deps.audit.page(currentActor(req), {
      actor: query.actor,
      ...query.object,
      since: sinceToTimestamp(query.since),
      beforeId: query.beforeId,
      limit: query.limit,
    });
    res.json({ items: page.items.map(presentAuditEntry), total: page.total, limit: query.limit } satisfies z.output<typeof auditListSchema>);
  });

  return router;
}
