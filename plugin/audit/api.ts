import { Router } from 'express';
import { z } from 'zod';
import { validationError } from '../errors.js';
import type { ApiOperation } from '../web/openapi.js';
import { currentActor } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { auditListSchema, beforeIdField, customerIdField, limitField, objectField, optionalText, presentAuditEntry, sinceField, sinceToTimestamp } from './schema.js';
import type { AuditService } from './service.js';

const listQuery = z.object({
  actor: optionalText(191),
  object: objectField,
  since: sinceField,
  limit: limitField,
  beforeId: beforeIdField,
  customerId: customerIdField,
});

export const auditOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/audit',
    summary:
      'Audit log entries, newest first: admins read every entry, key users (in their own session, not switched ' +
      'in through a delegation) the entries made in their customers (effective organisation). Query: actor (login), ' +
      'object (type or type:id), since (date or date-time), customerId (only entries made in that organisation; ' +
      "a key user's must be one of theirs), limit (1-1000, default 100), beforeId (the last id of the previous page). " +
      'total ignores beforeId.',
    tag: 'audit',
    response: auditListSchema,
    errors: {
      400: 'A query parameter is invalid, repeated or unknown',
      401: 'No valid session or token',
      403: "Not allowed to read the audit log, or customerId is not one of the key user's customers",
    },
  },
];

export function auditApi(deps: { audit: AuditService }): Router {
  const router = Router();
  // Who reads at all is the service's decision (admins, key users by their own mark); 401 and 403 come before any 400.
  router.use('/audit', (req, _res, next) => {
    deps.audit.scope(currentActor(req));
    next();
  });

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
      customerId: query.customerId,
      limit: query.limit,
    });
    res.json({ items: page.items.map(presentAuditEntry), total: page.total, limit: query.limit } satisfies z.output<typeof auditListSchema>);
  });

  return router;
}
