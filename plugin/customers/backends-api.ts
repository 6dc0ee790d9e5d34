import { Router, type Request } from 'express';
import { auditSubjectOf } from '../audit/service.js';
import { notFound, ruleViolation } from '../errors.js';
import { currentActor } from '../web/middleware/guards.js';
import type { ApiOperation } from '../web/openapi.js';
import { parseInput } from '../web/validate.js';
import { backendKeyParam, backendPutSchema, backendSchema, etagOf, expectedVersion, MAX_BACKENDS, parseBody, savedBackendSchema } from './api-schemas.js';
import type { BackendService } from './backend-service.js';
import { DB_BACKEND_KEY } from './backends/db/backend.js';
import { listOf } from './present.js';

const ERRORS = { 401: 'No valid session or token', 403: 'Not allowed to manage backends and the field map' } as const;

export const backendsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/backends',
    summary: 'The customer-user backends in the order they are asked, each with its field map',
    tag: 'backends',
    response: listOf(backendSchema),
    errors: ERRORS,
  },
  {
    method: 'get',
    path: '/backends/{key}',
    summary: 'One backend and its field map; the ETag header carries its version',
    tag: 'backends',
    response: backendSchema,
    errors: { ...ERRORS, 404: 'No such backend' },
  },
  {
    method: 'put',
    path: '/backends/{key}',
    summary:
      'Save the database backend\'s field map (key db). A custom field is a row stored as extra.<name>: no migration. ' +
      'When the searchable fields change, the search index is rebuilt and reindexed says how many users. ' +
      'Send If-Match: "<version>" or version in the body to refuse stale edits.',
    tag: 'backends',
    request: backendPutSchema,
    response: savedBackendSchema,
    errors: {
      ...ERRORS,
      400: 'The map is invalid (field names the row and property, e.g. map.3.type)',
      404: 'No such backend',
      409: 'edit_conflict: changed by someone else since that version',
      422: 'not_editable: only the database backend can be edited for now; not_supported: order',
    },
  },
];

const keyOf = (req: Request) => parseInput(backendKeyParam, req.params.key);

/** `/api/v1/backends`: where customer users come from, and the field map that describes them. */
export function backendsApi(deps: { backends: BackendService }): Router {
  const router = Router();

  router.get('/backends', async (req, res) => {
    const items = await deps.backends.list(currentActor(req));
    res.json({ items, total: items.length, limit: MAX_BACKENDS });
  });

  router.get('/backends/:key', async (req, res) => {
    const backend = await deps.backends.get(currentActor(req), keyOf(req));
    res.set('ETag', etagOf(backend.version)).json(backend);
  });

  router.put('/backends/:key', async (req, res) => {
    const actor = currentActor(req);
    const key = keyOf(req);
    if (key !== DB_BACKEND_KEY) {
      // Asked through the service, so a caller without the right gets 403 before learning which keys exist.
      const known = (await deps.backends.list(actor)).some((b) => b.key === key);
      if (!known) throw notFound(`No backend ${key}. Only the database backend (${DB_BACKEND_KEY}) can be edited for now.`);
      throw ruleViolation(`Only the database backend (${DB_BACKEND_KEY}) can be edited for now; ${key} is configured where it is defined.`, 'key', 'not_editable');
    }
    const body = parseBody(backendPutSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), body.version);
    const current = await deps.backends.get(actor, key);
    if (body.order !== undefined && body.order !== current.order) {
      // With one backend there is no order to change; it becomes editable together with directory backends.
      throw ruleViolation(`order: the database backend is the only backend, at position ${current.order}.`, 'order', 'not_supported');
    }
    const saved = await deps.backends.saveDbMap(actor, body.map, version, auditSubjectOf(actor, req.ip ?? null));
    res.set('ETag', etagOf(saved.backend.version)).json({ ...saved.backend, reindexed: saved.reindexed });
  });

  return router;
}
