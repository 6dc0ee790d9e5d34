import { Router, type Request } from 'express';
import type { Actor } from '../access/actor.js';
import { auditSubjectOf, type AuditSubject } from '../audit/service.js';
import { notFound, ruleViolation, validationError } from '../errors.js';
import { currentActor } from '../web/middleware/guards.js';
import type { ApiOperation } from '../web/openapi.js';
import { parseInput } from '../web/validate.js';
import {
  BACKEND_KEY_PATTERN,
  backendKeyParam,
  backendPutSchema,
  backendSchema,
  connectionReportSchema,
  emptyBody,
  etagOf,
  expectedVersion,
  MAX_BACKENDS,
  objectBody,
  parseBody,
  previewBodySchema,
  previewReportSchema,
  savedBackendSchema,
  syncBodySchema,
  syncReportSchema,
  syncStatusSchema,
} from './api-schemas.js';
import type { BackendService, BackendView } from './backend-service.js';
import { DB_BACKEND_KEY } from './backends/db/backend.js';
import type { DirectoryOperations } from './backends/ldap/operations.js';
import { listOf } from './present.js';

const ERRORS = { 401: 'No valid session or token', 403: 'Not allowed to manage backends and the field map' } as const;
const DIRECTORY_ERRORS = { ...ERRORS, 404: 'No such directory backend' } as const;

export const backendsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/backends',
    summary: 'The customer-user backends in the order they are asked, each with its field map (directory backends with their settings, never the bind password)',
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
      'type db: save the database backend\'s field map (a custom field is a row stored as extra.<name>: no migration; when the ' +
      'searchable fields change, the search index is rebuilt and reindexed says how many users). type ldap: create (201) or ' +
      'update (200) a directory backend; bindPassword is write-only (left out: kept; empty: cleared) and answered as bindPasswordSet. ' +
      'order moves the backend to that position. Send If-Match: "<version>" or version in the body to refuse stale edits.',
    tag: 'backends',
    request: backendPutSchema,
    response: savedBackendSchema,
    errors: {
      ...ERRORS,
      400: 'Invalid settings or map (field names the property, e.g. map.3.type, customerIdFrom.rules.0.dnSuffix)',
      404: 'No such backend (type db is only the database backend)',
      409: 'edit_conflict: changed by someone else since that version',
      422: 'type_mismatch: the backend has the other type; order_out_of_range; too_many_backends (at most 10)',
    },
  },
  {
    method: 'delete',
    path: '/backends/{key}',
    summary: 'Remove a directory backend no customer user came from',
    tag: 'backends',
    errors: { ...DIRECTORY_ERRORS, 409: 'has_users: customer users came from it (deactivate or keep it)', 422: 'not_deletable: the database backend stays' },
  },
  {
    method: 'post',
    path: '/backends/{key}/test',
    summary: 'Test the saved connection: connect, bind, base DN readable, users counted (and groups); each step timed',
    tag: 'backends',
    response: connectionReportSchema,
    errors: DIRECTORY_ERRORS,
  },
  {
    method: 'post',
    path: '/backends/{key}/preview',
    summary: 'The first entries the always-filter (and the extra filter) finds, through the map, with warnings per cell and what a sync would do; the group mapping previewed',
    tag: 'backends',
    request: previewBodySchema,
    response: previewReportSchema,
    errors: { ...DIRECTORY_ERRORS, 400: 'filter is not an LDAP filter, or limit out of 1..200', 503: 'The directory is unavailable' },
  },
  {
    method: 'post',
    path: '/backends/{key}/sync',
    summary: 'Run a sync now and answer its report (dryRun: count and list, write nothing); refuses more deactivations than the allowed share unless force',
    tag: 'backends',
    request: syncBodySchema,
    response: syncReportSchema,
    errors: { ...DIRECTORY_ERRORS, 409: 'sync_running: a sync of this backend is running', 503: 'The directory is unavailable' },
  },
  {
    method: 'get',
    path: '/backends/{key}/sync',
    summary: 'The running sync\'s progress, and the last finished run\'s report',
    tag: 'backends',
    response: syncStatusSchema,
    errors: DIRECTORY_ERRORS,
  },
];

const keyOf = (req: Request) => parseInput(backendKeyParam, req.params.key);

/** Moves `key` to `order` among `keys` (the current order, `key` included). */
export function movedOrder(keys: readonly string[], key: string, order: number): string[] {
  const rest = keys.filter((k) => k !== key);
  return [...rest.slice(0, order), key, ...rest.slice(order)];
}

/**
 * An `order` in a write moves the backend there. Checked before anything is saved, so a write with an
 * impossible position changes nothing.
 */
function checkOrder(list: BackendView[], key: string, order: number | undefined): void {
  if (order === undefined) return;
  const size = list.length + (list.some((b) => b.key === key) ? 0 : 1);
  if (order >= size) throw ruleViolation(`order: ${order} is past the end of the list (0 to ${size - 1}).`, 'order', 'order_out_of_range');
}

/** `/api/v1/backends`: where customer users come from, the field map that describes them, and directory operations. */
export function backendsApi(deps: { backends: BackendService; directoryOps: DirectoryOperations }): Router {
  const router = Router();

  async function moveTo(actor: Actor, key: string, order: number | undefined, subject: AuditSubject): Promise<void> {
    if (order === undefined) return;
    const keys = (await deps.backends.list(actor)).map((b) => b.key);
    if (keys.indexOf(key) === order) return;
    await deps.backends.reorder(actor, movedOrder(keys, key, order), subject);
  }

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
    // Asked through the service first, so a caller without the right gets 403 before learning which keys exist.
    const list = await deps.backends.list(actor);
    const raw = objectBody(req.body);
    const current = list.find((b) => b.key === key);
    if (key === DB_BACKEND_KEY && raw.type !== 'db') throw validationError(`type: the database backend (${DB_BACKEND_KEY}) has type db`, 'type');
    if (key !== DB_BACKEND_KEY && raw.type === 'db') {
      if (!current) throw notFound(`No backend ${key}. Only the database backend (${DB_BACKEND_KEY}) has type db; a directory backend is sent with type ldap.`);
      throw ruleViolation(`${key} is a directory backend (type ${current.type}).`, 'type', 'type_mismatch');
    }
    const body = parseBody(backendPutSchema, raw);
    const version = expectedVersion(req.get('If-Match'), body.version);
    const subject = auditSubjectOf(actor, req.ip ?? null);
    checkOrder(list, key, body.order);

    if (body.type === 'db') {
      const saved = await deps.backends.saveDbMap(actor, body.map, version, subject);
      await moveTo(actor, key, body.order, subject);
      const backend = await deps.backends.get(actor, key);
      res.set('ETag', etagOf(backend.version)).json({ ...backend, reindexed: saved.reindexed });
      return;
    }

    if (!current && !BACKEND_KEY_PATTERN.test(key)) throw validationError('key: lower-case letters, digits and -, at most 40', 'key');
    // The raw settings go to the service: it tells a left-out bindPassword (keep) from an empty one (clear).
    const { type: _type, order: _order, version: _version, ...settings } = raw;
    const saved = await deps.backends.saveLdap(actor, key, settings, version, subject);
    await moveTo(actor, key, body.order, subject);
    const backend = await deps.backends.get(actor, key);
    res.status(saved.created ? 201 : 200).set('ETag', etagOf(backend.version)).json(backend);
  });

  router.delete('/backends/:key', async (req, res) => {
    const actor = currentActor(req);
    const backend = await deps.backends.get(actor, keyOf(req));
    if (backend.type === 'db') throw ruleViolation('The database backend cannot be removed.', 'key', 'not_deletable');
    await deps.backends.removeLdap(actor, backend.key, auditSubjectOf(actor, req.ip ?? null));
    res.status(204).end();
  });

  router.post('/backends/:key/test', async (req, res) => {
    emptyBody(req.body);
    res.json(await deps.directoryOps.test(currentActor(req), keyOf(req)));
  });

  router.post('/backends/:key/preview', async (req, res) => {
    const body = parseBody(previewBodySchema, req.body ?? {});
    res.json(await deps.directoryOps.preview(currentActor(req), keyOf(req), { filter: body.filter, limit: body.limit }));
  });

  router.post('/backends/:key/sync', async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(syncBodySchema, req.body);
    res.json(await deps.directoryOps.sync(actor, keyOf(req), { dryRun: body.dryRun, force: body.force }, auditSubjectOf(actor, req.ip ?? null)));
  });

  router.get('/backends/:key/sync', async (req, res) => {
    res.json(await deps.directoryOps.status(currentActor(req), keyOf(req)));
  });

  return router;
}
