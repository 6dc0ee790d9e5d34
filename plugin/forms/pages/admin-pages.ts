import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem, type Translate } from '../../customers/pages/form-errors.js';
import { LoketError } from '../../errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { localise } from '../definition.js';
import type { StoredForm } from '../types.js';
import { asJson, keyOfPosted, newFormTemplate, schemaSummary } from './admin-view.js';
import type { FormPagesDeps } from './deps.js';
import { fieldViews } from './form-view.js';
import { editorForm, formKeyOf, readerLanguage, validityForm } from './inputs.js';
import { formsNoticeFrom, withFormsNotice } from './notices.js';
import { formPaths } from './paths.js';
import { describeFormsError, formsRefusal } from './problems.js';

interface EditorState {
  text: string;
  version: string;
  problem?: FormProblem | null;
  status?: number;
}

/** How many runs of the form the per-form runs page reads (newest first). */
const RUNS_READ = 200;

/** A save refused: where in the JSON and what, in the admin's language where the code has a text. */
function saveProblem(err: LoketError, t: Translate): FormProblem {
  if (err.code !== 'validation_failed' || !err.field) return { field: 'definition', target: 'fe-definition', message: describeFormsError(err, t) };
  const own = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
  return { field: 'definition', target: 'fe-definition', message: t('forms.editor.at', { path: err.field, message: own }) };
}

/**
 * Form definitions (admins): the list, the editor (the definition as JSON beside a summary of the
 * schema, saved with the version it was read at: a stale save is a 409 on the form with the text kept),
 * validity, version history, a preview as requesters see it, and the runs of one form.
 */
export function formAdminPages(deps: FormPagesDeps): Router {
  const router = Router();
  router.use('/admin/forms', pageRequires('admin.use'));

  async function renderEditor(req: Request, res: Response, stored: StoredForm | null, state: EditorState): Promise<void> {
    const actor = currentActor(req);
    const language = readerLanguage(res);
    const paths = formPaths(res);
    const [versions, preview] = stored
      ? await Promise.all([deps.forms.versions(actor, stored.key), fieldViews(deps.forms, actor, stored.definition, { language, typed: {}, idPrefix: 'pv' })])
      : [[], []];
    res.status(state.status ?? 200).render('forms/admin-editor', {
      stored,
      title: stored ? localise(stored.definition.title, language) : '',
      action: stored ? paths.adminForm(stored.key) : paths.adminNew,
      text: state.text,
      version: state.version,
      problem: state.problem ?? null,
      versions: versions.map((v) => ({ ...v, json: asJson(v.definition) })).sort((a, b) => b.version - a.version),
      preview,
      schema: schemaSummary(),
      paths,
      notice: state.status ? null : formsNoticeFrom(req, translatorOf(res)),
    });
  }

  /** Parses and saves; a refusal renders the editor again with the admin's text kept. */
  async function save(req: Request, res: Response, actor: Actor, stored: StoredForm | null): Promise<void> {
    const form = parseInput(editorForm, req.body);
    const t = translatorOf(res);
    const kept = { text: form.definition, version: form.version };
    let parsed: unknown;
    try {
      parsed = JSON.parse(form.definition);
    } catch (err) {
      const detail = err instanceof SyntaxError ? err.message : String(err);
      await renderEditor(req, res, stored, { ...kept, status: 400, problem: { field: 'definition', target: 'fe-definition', message: t('forms.editor.notJson', { detail }) } });
      return;
    }
    const key = stored?.key ?? keyOfPosted(parsed);
    if (key === null) {
      await renderEditor(req, res, stored, { ...kept, status: 400, problem: { field: 'definition', target: 'fe-definition', message: t('forms.editor.at', { path: 'key', message: t('forms.editor.keyMissing') }) } });
      return;
    }
    try {
      if (!stored && (await deps.forms.listAll(actor)).some((f) => f.key === key)) {
        throw new LoketError({ status: 409, code: 'form_exists', message: t('forms.editor.exists', { key }) });
      }
      const expected = stored ? Number(form.version) : undefined;
      const saved = await deps.forms.save(actor, key, parsed, expected !== undefined && Number.isInteger(expected) ? expected : undefined, auditSubjectOf(actor, req.ip ?? null));
      res.redirect(303, withFormsNotice(formPaths(res).adminForm(saved.key), stored ? 'saved' : 'created'));
    } catch (err) {
      const refusal = formsRefusal(err);
      if (!refusal) throw err;
      await renderEditor(req, res, stored, { ...kept, status: refusal.status, problem: saveProblem(refusal, t) });
    }
  }

  router.get('/admin/forms', async (req, res) => {
    const actor = currentActor(req);
    const summaries = await deps.forms.listAll(actor);
    // The list names each form's audience, which only the definition holds.
    const rows = await Promise.all(summaries.map(async (s) => ({ ...s, audience: (await deps.forms.get(actor, s.key)).definition.audience })));
    res.render('forms/admin-list', { rows, paths: formPaths(res), notice: formsNoticeFrom(req, translatorOf(res)) });
  });

  router.get('/admin/forms/new', async (req, res) => {
    const queue = (await deps.queues.all()).find((q) => q.validity === 'valid')?.name ?? '';
    await renderEditor(req, res, null, { text: asJson(newFormTemplate(queue)), version: '' });
  });

  router.post('/admin/forms/new', async (req, res) => {
    await save(req, res, currentActor(req), null);
  });

  router.get('/admin/forms/:key', async (req, res) => {
    const stored = await deps.forms.get(currentActor(req), formKeyOf(req.params.key));
    await renderEditor(req, res, stored, { text: asJson(stored.definition), version: String(stored.version) });
  });

  router.post('/admin/forms/:key', async (req, res) => {
    const actor = currentActor(req);
    const stored = await deps.forms.get(actor, formKeyOf(req.params.key));
    await save(req, res, actor, stored);
  });

  router.post('/admin/forms/:key/validity', async (req, res) => {
    const actor = currentActor(req);
    const { validity } = parseInput(validityForm, req.body);
    const stored = await deps.forms.setValidity(actor, formKeyOf(req.params.key), validity, auditSubjectOf(actor, req.ip ?? null));
    res.redirect(303, withFormsNotice(formPaths(res).adminForm(stored.key), 'validity'));
  });

  router.get('/admin/forms/:key/runs', async (req, res) => {
    const actor = currentActor(req);
    const stored = await deps.forms.get(actor, formKeyOf(req.params.key));
    const page = await deps.formRuns.list(actor, { scope: 'all', formKey: stored.key, limit: RUNS_READ, offset: 0 });
    res.render('forms/admin-runs', {
      stored,
      title: localise(stored.definition.title, readerLanguage(res)),
      runs: page.items,
      read: page.items.length,
      total: page.total,
      paths: formPaths(res),
    });
  });

  return router;
}
