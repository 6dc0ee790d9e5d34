import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { auditSubjectOf } from '../../audit/service.js';
import { currentActor, loketBase, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { DB_BACKEND_KEY } from '../backends/db/backend.js';
import { FIELD_TYPES, isBuiltIn } from '../field-map.js';
import type { CustomerScreenDeps } from './deps.js';
import { draftOf, draftsFromForm, emptyNewRow, fieldMapProblem, isCore, rowInput, submittedRows, type RowDraft } from './field-map-form.js';
import { formRefusal, translatorOf, type FormProblem } from './form-errors.js';
import { noticeFrom, withNotice } from './form-values.js';

const versionForm = z.object({ version: z.string().regex(/^\d{1,12}$/).transform(Number) });

/** Admin screen: the database backend's field map, edited as one table and saved as a whole. */
export function fieldMapPages(deps: CustomerScreenDeps): Router {
  const router = Router();
  router.use('/admin/field-map', pageRequires('field-map.manage'));

  async function render(req: Request, res: Response, state: { drafts?: RowDraft[]; version?: number; problem?: FormProblem | null; status?: number } = {}) {
    const backend = await deps.backends.get(currentActor(req), DB_BACKEND_KEY);
    const t = translatorOf(res);
    const drafts = state.drafts ?? [...backend.map.map(draftOf), emptyNewRow()];
    const problem = state.problem ?? null;
    const [errorProperty, errorRow] = problem?.field?.split('.') ?? [];
    res.status(state.status ?? 200).render('customers/field-map', {
      rows: drafts.map((d) => ({
        ...d,
        core: isCore(d.key),
        // Only custom fields can go: a built-in one is hidden with "shown 0" instead.
        removable: !d.isNew && !isBuiltIn(d.key),
        // Built-in fields show their translated name when the label is left empty.
        defaultLabel: !d.isNew && isBuiltIn(d.key) ? t(`customerFields.${d.key}`) : '',
        error: problem && errorRow === d.formKey ? { property: errorProperty, message: problem.message } : null,
      })),
      types: FIELD_TYPES,
      version: state.version ?? backend.version,
      updatedAt: backend.updatedAt,
      updatedBy: backend.updatedBy,
      problem,
      notice: state.status ? null : noticeFrom(req, t),
    });
  }

  router.get('/admin/field-map', async (req, res) => {
    await render(req, res);
  });

  router.post('/admin/field-map', async (req, res) => {
    const actor = currentActor(req);
    const { version } = parseInput(versionForm, req.body);
    const current = await deps.backends.get(actor, DB_BACKEND_KEY);
    const drafts = draftsFromForm(current.map, req.body);
    try {
      const saved = await deps.backends.saveDbMap(actor, submittedRows(drafts).map(rowInput), version, auditSubjectOf(actor, req.ip ?? null));
      const extra: Record<string, string> = saved.reindexed === null ? {} : { count: String(saved.reindexed) };
      res.redirect(303, withNotice(`${loketBase(res)}/admin/field-map`, 'mapSaved', extra));
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      await render(req, res, { drafts, version, problem: fieldMapProblem(refusal, drafts, translatorOf(res)), status: refusal.status });
    }
  });

  return router;
}
