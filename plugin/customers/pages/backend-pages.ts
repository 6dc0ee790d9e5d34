import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { GroupService } from '../../access/groups/service.js';
import { auditSubjectOf } from '../../audit/service.js';
import { conflict, LoketError, notFound, validationError } from '../../errors.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { noticeCodes } from '../../web/notices.js';
import { parseInput } from '../../web/validate.js';
import { BACKEND_KEY_PATTERN, backendKeyParam, MAX_BACKENDS } from '../api-schemas.js';
import type { BackendService, BackendView } from '../backend-service.js';
import { DB_BACKEND_KEY } from '../backends/db/backend.js';
import type { ConnectionReport, PreviewReport, SyncReport } from '../backends/ldap/operation-types.js';
import type { DirectoryOperations } from '../backends/ldap/operations.js';
import { DEFAULT_LDAP_MAP } from '../backends/ldap/settings.js';
import { FIELD_TYPES, isBuiltIn, type FieldMap } from '../field-map.js';
import { isCore } from './field-map-form.js';
import { ldapFormOf, ldapFormProblem, parseLdapForm, previewOptions, SCOPES, settingsInput, settingsToTry, type Intent, type LdapForm } from './backend-form.js';
import { formRefusal, translatorOf, type FormProblem } from './form-errors.js';

/** What the backend screens need from the container. */
export interface BackendPageDeps {
  backends: BackendService;
  groups: Pick<GroupService, 'list' | 'permissionTypes'>;
  directoryOps: DirectoryOperations;
}

const notices = noticeCodes({
  saved: 'backends.notices.saved',
  moved: 'backends.notices.moved',
  removed: 'backends.notices.removed',
  syncRunning: 'backends.notices.syncRunning',
  syncStarted: 'backends.notices.syncStarted',
});

const ALL_GROUPS = 1000;
const addForm = z.object({ key: z.string().max(200) });
const moveForm = z.object({ direction: z.enum(['up', 'down']) });
const editState = z.object({ version: z.string().regex(/^\d{0,12}$/).default(''), new: z.literal('1').optional() });
const newQuery = z.object({ new: z.literal('1').optional() });

/** What the page shows below the form after test, preview or dry run. */
type Results =
  | { kind: 'test'; report: ConnectionReport }
  | { kind: 'preview'; report: PreviewReport }
  | { kind: 'dryrun'; report: SyncReport }
  | null;

const keyOf = (req: Request) => parseInput(backendKeyParam, req.params.key);
const pathOf = (res: Response, key?: string) => `${loketBase(res)}/admin/backends${key === undefined ? '' : `/${encodeURIComponent(key)}`}`;

/** The settings as compared for "unsaved changes": everything but the password. */

/**
 * Admin screens for the customer-user backends: their order, adding and removing directory backends,
 * and one directory backend's settings with test connection, preview, dry run and sync. Test, preview
 * and dry run show their results on the same page, the form kept as typed.
 */
export function backendPages(deps: BackendPageDeps): Router {
  const router = Router();
  router.use('/admin/backends', pageRequires('field-map.manage'));

  async function renderList(req: Request, res: Response, state: { problem?: FormProblem | null; typedKey?: string; status?: number } = {}) {
    const actor = currentActor(req);
    const backends = await deps.backends.list(actor);
    const users = await deps.backends.userCounts(actor);
    res.status(state.status ?? 200).render('admin/backends', {
      backends: backends.map((b, i) => ({
        ...b,
        name: b.settings?.name ?? null,
        urls: b.settings?.url ?? [],
        users: users[b.key] ?? 0,
        href: b.key === DB_BACKEND_KEY ? `${loketBase(res)}/admin/field-map` : pathOf(res, b.key),
        first: i === 0,
        last: i === backends.length - 1,
      })),
      full: backends.length >= MAX_BACKENDS,
      max: MAX_BACKENDS,
      typedKey: state.typedKey ?? '',
      problem: state.problem ?? null,
      notice: state.status ? null : notices.from(req, translatorOf(res)),
    });
  }

  router.get('/admin/backends', async (req, res) => {
    await renderList(req, res);
  });

  // Adding starts the form of a new backend; nothing is stored until its settings are saved.
  router.post('/admin/backends', async (req, res) => {
    const actor = currentActor(req);
    const t = translatorOf(res);
    const { key } = parseInput(addForm, req.body);
    const typed = key.trim();
    const backends = await deps.backends.list(actor);
    let problem: string | null = null;
    if (!BACKEND_KEY_PATTERN.test(typed)) problem = t('backends.errors.key');
    else if (backends.some((b) => b.key === typed)) problem = t('backends.errors.keyTaken', { key: typed });
    else if (backends.length >= MAX_BACKENDS) problem = t('backends.errors.full', { max: MAX_BACKENDS });
    if (problem !== null) {
      await renderList(req, res, { problem: { field: 'key', target: 'bk-key', message: problem }, typedKey: key, status: 400 });
      return;
    }
    res.redirect(303, `${pathOf(res, typed)}?new=1`);
  });

  router.post('/admin/backends/:key/move', async (req, res) => {
    const actor = currentActor(req);
    const key = keyOf(req);
    const { direction } = parseInput(moveForm, req.body);
    const keys = (await deps.backends.list(actor)).map((b) => b.key);
    const from = keys.indexOf(key);
    if (from < 0) throw notFound(`No backend ${key}.`);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to >= 0 && to < keys.length) {
      [keys[from], keys[to]] = [keys[to]!, keys[from]!];
      await deps.backends.reorder(actor, keys, auditSubjectOf(actor, req.ip ?? null));
    }
    res.redirect(303, notices.path(pathOf(res), 'moved'));
  });

  router.post('/admin/backends/:key/delete', async (req, res) => {
    const actor = currentActor(req);
    try {
      await deps.backends.removeLdap(actor, keyOf(req), auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, notices.path(pathOf(res), 'removed'));
    } catch (err) {
      if (!(err instanceof LoketError) || err.code !== 'has_users') throw err;
      const message = translatorOf(res)('backends.errors.hasUsers', { key: keyOf(req) });
      await renderList(req, res, { problem: { field: null, target: null, message }, status: 409 });
    }
  });

  /** A stored directory backend, null for a key not stored yet; the database backend has its own screen. */
  async function stored(actor: Actor, key: string): Promise<BackendView | null> {
    const found = (await deps.backends.list(actor)).find((b) => b.key === key) ?? null;
    if (found && found.type !== 'ldap') throw notFound(`${key} is not a directory backend; its map is edited at /admin/field-map.`);
    return found;
  }

  async function renderEdit(
    req: Request,
    res: Response,
    key: string,
    backend: BackendView | null,
    state: { form?: LdapForm; problem?: FormProblem | null; results?: Results; status?: number; version?: string } = {},
  ) {
    const actor = currentActor(req);
    const t = translatorOf(res);
    const form = state.form ?? ldapFormOf(backend ? await deps.backends.ldapSettings(actor, key) : null);
    const problem = state.problem ?? null;
    const [errorProperty, errorRow] = problem?.field?.split('.') ?? [];
    const [groups, types] = await Promise.all([deps.groups.list(actor, { limit: ALL_GROUPS, offset: 0 }), deps.groups.permissionTypes()]);
    res.status(state.status ?? 200).render('admin/backend-ldap', {
      key,
      isNew: backend === null,
      backend,
      bindPasswordSet: backend?.settings?.bindPasswordSet ?? false,
      version: state.version ?? (backend ? String(backend.version) : ''),
      form,
      mapRows: form.map.map((d) => ({
        ...d,
        core: isCore(d.key),
        removable: !d.isNew && !isCore(d.key),
        defaultLabel: !d.isNew && isBuiltIn(d.key) ? t(`customerFields.${d.key}`) : '',
        error: problem && errorRow === d.formKey ? { property: errorProperty, message: problem.message } : null,
      })),
      errorOf: (id: string) => (problem?.target === id ? problem.message : null),
      problem,
      results: state.results ?? null,
      groupNames: groups.items.map((g) => g.name),
      permissionTypes: types.map((p) => p.name),
      columnLabel: (col: PreviewReport['columns'][number]) => col.label ?? (isBuiltIn(col.key) ? t(`customerFields.${col.key}`) : col.key),
      scopes: SCOPES,
      types: FIELD_TYPES,
      auditHref: `${loketBase(res)}/admin/audit?${new URLSearchParams({ objectType: 'backend', objectId: key }).toString()}`,
      notice: state.status || state.results ? null : notices.from(req, t),
    });
  }

  router.get('/admin/backends/:key', async (req, res) => {
    const actor = currentActor(req);
    const key = keyOf(req);
    if (key === DB_BACKEND_KEY) {
      res.redirect(303, `${loketBase(res)}/admin/field-map`);
      return;
    }
    const backend = await stored(actor, key);
    // A key that is not stored opens an empty form only when it came from "add directory backend".
    if (!backend && (parseInput(newQuery, req.query).new === undefined || !BACKEND_KEY_PATTERN.test(key))) throw notFound(`No backend ${key}.`);
    await renderEdit(req, res, key, backend);
  });

  router.post('/admin/backends/:key', async (req, res) => {
    const actor = currentActor(req);
    const key = keyOf(req);
    if (key === DB_BACKEND_KEY || !BACKEND_KEY_PATTERN.test(key)) throw notFound(`No directory backend ${key}.`);
    const backend = await stored(actor, key);
    const state = parseInput(editState, req.body);
    const types = (await deps.groups.permissionTypes()).map((p) => p.name);
    const base: FieldMap = backend?.map ?? DEFAULT_LDAP_MAP;
    const { form, intent } = parseLdapForm(base, req.body, types);
    const subject = auditSubjectOf(actor, req.ip ?? null);

    /** What each button does; test, preview and dry run render their results on the page. */
    async function act(what: Intent): Promise<void> {
      switch (what) {
        case 'save': {
          const version = state.version === '' ? undefined : Number(state.version);
          const saved = await deps.backends.saveLdap(actor, key, settingsInput(form), version, subject);
          res.redirect(303, notices.path(pathOf(res, key), 'saved', { count: String(saved.backend.version) }));
          return;
        }
        case 'test': {
          const report = await deps.directoryOps.test(actor, key, settingsToTry(form));
          await renderEdit(req, res, key, backend, { form, results: { kind: 'test', report }, version: state.version });
          return;
        }
        case 'preview': {
          const settings = settingsToTry(form);
          const report = await deps.directoryOps.preview(actor, key, { ...previewOptions(form), settings });
          await renderEdit(req, res, key, backend, { form, results: { kind: 'preview', report }, version: state.version });
          return;
        }
        case 'dryrun': {
          if (!backend) throw validationError(translatorOf(res)('backends.errors.saveFirst'), 'version');
          // A dry run tries the values on the screen, like test and preview; a real sync uses the saved ones.
          const report = await deps.directoryOps.sync(actor, key, { dryRun: true, force: form.force, settings: settingsToTry(form) }, subject);
          await renderEdit(req, res, key, backend, { form, results: { kind: 'dryrun', report }, version: state.version });
          return;
        }
        case 'sync': {
          if (!backend) throw validationError(translatorOf(res)('backends.errors.saveFirst'), 'version');
          try {
            await deps.directoryOps.startSync(actor, key, { dryRun: false, force: form.force }, subject);
          } catch (err) {
            if (err instanceof LoketError && err.code === 'sync_running') {
              res.redirect(303, notices.path(`${pathOf(res, key)}/sync`, 'syncRunning'));
              return;
            }
            throw err;
          }
          res.redirect(303, notices.path(`${pathOf(res, key)}/sync`, 'syncStarted'));
          return;
        }
      }
    }

    try {
      // "new" says the form was opened for a backend that did not exist: someone else may have made it since.
      if (state.new && backend) throw conflict('A backend with this key was created meanwhile.', 'version', 'edit_conflict');
      await act(intent);
    } catch (err) {
      // A directory that does not answer (503) is shown on the form too, so nothing typed is lost.
      const refusal = formRefusal(err) ?? (err instanceof LoketError && err.status === 503 ? err : null);
      if (!refusal) throw err;
      await renderEdit(req, res, key, backend, { form, problem: ldapFormProblem(refusal, form, translatorOf(res)), status: refusal.status, version: state.version });
    }
  });

  router.get('/admin/backends/:key/sync', async (req, res) => {
    const actor = currentActor(req);
    const key = keyOf(req);
    const backend = await stored(actor, key);
    if (!backend) throw notFound(`No directory backend ${key}.`);
    const status = await deps.directoryOps.status(actor, key);
    res.render('admin/backend-sync', {
      key,
      backend,
      status,
      editHref: pathOf(res, key),
      statusHref: `${pathOf(res, key)}/sync/status`,
      selfHref: `${pathOf(res, key)}/sync`,
      notice: notices.from(req, translatorOf(res)),
    });
  });

  // The progress the page polls (public/js/ldap-sync.js): the same SyncStatus as GET /api/v1/backends/{key}/sync.
  router.get('/admin/backends/:key/sync/status', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await deps.directoryOps.status(currentActor(req), keyOf(req)));
  });

  return router;
}
