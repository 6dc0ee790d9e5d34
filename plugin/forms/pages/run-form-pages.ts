import { Router, type Request, type Response } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { translatorOf, type FormProblem } from '../../customers/pages/form-errors.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { localise } from '../definition.js';
import type { StoredForm } from '../types.js';
import type { FormPagesDeps } from './deps.js';
import { CHOICE_LIMIT, fieldViews, prefillFrom, submittedValues, typedFrom, type TypedValues } from './form-view.js';
import { pageSignedIn } from './guards.js';
import { formKeyOf, formPageQuery, freshIdempotencyKey, keptIdempotencyKey, postedForm, readerLanguage } from './inputs.js';
import { withFormsNotice } from './notices.js';
import { formPaths } from './paths.js';
import { formsProblem, formsRefusal, refusedField } from './problems.js';

interface FormPageState {
  typed: TypedValues;
  target: string;
  targetSearch: string;
  idempotencyKey: string;
  problem?: FormProblem | null;
  errors?: Record<string, string>;
  status?: number;
}

/** Ids of the page's controls, so an error summary can link to them. */
const TARGET_ID = 'fr-target';
const fieldId = (key: string) => `fr-${key}`;

/**
 * A form as its requesters use it (agents and customer users alike): the target picker in the
 * requester's scope, the fields, server-side errors beside them. A POST submits through the run engine
 * with the idempotency key the page was rendered with, so a double submit makes one run.
 */
export function runFormPages(deps: FormPagesDeps): Router {
  const router = Router();
  router.use('/forms', pageSignedIn());

  async function render(req: Request, res: Response, stored: StoredForm, state: FormPageState): Promise<void> {
    const actor = currentActor(req);
    const { definition } = stored;
    const language = readerLanguage(res);
    const picksTarget = definition.target === 'customer-user' || definition.target === 'customer';
    const targets = picksTarget ? await deps.forms.targets(actor, definition.key, { limit: CHOICE_LIMIT, ...(state.targetSearch !== '' && { search: state.targetSearch }) }) : [];
    // Options that depend on the target follow a target the person may pick; any other value is only text.
    const pickable = targets.some((c) => c.value === state.target) ? state.target : undefined;
    const fields = await fieldViews(deps.forms, actor, definition, { language, typed: state.typed, target: pickable, idPrefix: 'fr', ...(state.errors && { errors: state.errors }) });
    res.status(state.status ?? 200).render('forms/run-form', {
      form: { key: definition.key, title: localise(definition.title, language), description: localise(definition.description, language), target: definition.target, needsApproval: definition.approval !== null, validity: stored.validity },
      picksTarget,
      targets,
      target: state.target,
      targetSearch: state.targetSearch,
      targetError: state.errors?.target ?? null,
      fields,
      idempotencyKey: state.idempotencyKey,
      problem: state.problem ?? null,
      paths: formPaths(res),
    });
  }

  router.get('/forms/:key', async (req, res) => {
    const stored = await deps.forms.get(currentActor(req), formKeyOf(req.params.key));
    const query = parseInput(formPageQuery, req.query);
    await render(req, res, stored, { typed: prefillFrom(stored.definition, req.query), target: query.target, targetSearch: query.targetSearch, idempotencyKey: freshIdempotencyKey() });
  });

  router.post('/forms/:key', async (req, res) => {
    const actor = currentActor(req);
    const stored = await deps.forms.get(actor, formKeyOf(req.params.key));
    const body = parseInput(postedForm, req.body);
    const typed = typedFrom(stored.definition, body);
    const target = (body.target ?? '').trim();
    const idempotencyKey = keptIdempotencyKey(body.idempotencyKey ?? '');
    try {
      const { run } = await deps.formRuns.submit(
        actor,
        stored.definition.key,
        { ...(target !== '' && { target }), values: submittedValues(stored.definition, typed) },
        idempotencyKey,
        auditSubjectOf(actor, req.ip ?? null),
      );
      res.redirect(303, withFormsNotice(formPaths(res).run(run.id), 'submitted'));
    } catch (err) {
      const refusal = formsRefusal(err);
      if (!refusal) throw err;
      const t = translatorOf(res);
      const field = refusedField(refusal, stored.definition.fields.map((f) => f.key));
      const problem = formsProblem(refusal, t, field, field === null ? null : field === 'target' ? TARGET_ID : fieldId(field));
      await render(req, res, stored, {
        typed,
        target,
        targetSearch: '',
        // The key made another run already: this attempt gets a new one, so sending it again submits it.
        idempotencyKey: refusal.code === 'idempotency_key_reused' ? freshIdempotencyKey() : idempotencyKey,
        problem,
        errors: field === null ? {} : { [field]: problem.message },
        status: refusal.status,
      });
    }
  });

  return router;
}
