import { Router, type Request, type Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { forbidden } from '../../errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import type { FormDefinition } from '../definition.js';
import type { Choice, FormRun, FormSummary } from '../types.js';
import type { FormPagesDeps } from './deps.js';
import { CHOICE_LIMIT } from './form-view.js';
import { formPaths } from './paths.js';
import { pendingApprovers } from './run-view.js';

/** The shipped self-service form whose catalogue the requests page lists service by service. */
const REQUEST_SERVICE = 'request-service';
/** How many of one's own runs "My requests" shows, newest first. */
const MY_RUNS = 50;

export interface RunRow {
  run: FormRun;
  pending: string[];
}

export const runRows = (runs: readonly FormRun[]): RunRow[] => runs.map((run) => ({ run, pending: pendingApprovers(run) }));

/**
 * Where requesters find forms: the portal's self-service catalogue with "My requests", "My team"
 * (managers), "Our organisation" (key users) and the agents' helpdesk forms. Which forms and targets a
 * person gets is the forms service's answer; a page with nothing to offer is not theirs (403).
 */
export function cataloguePages(deps: FormPagesDeps): Router {
  const router = Router();

  /** The services one may still request, each a link to the request form with it preselected. */
  async function requestableServices(actor: Actor, forms: FormSummary[], res: Response): Promise<{ label: string; href: string }[]> {
    if (!forms.some((f) => f.key === REQUEST_SERVICE)) return [];
    const { definition } = await deps.forms.get(actor, REQUEST_SERVICE);
    const field = definition.fields.find((f) => f.source === 'services');
    if (!field) return [];
    const choices = await deps.forms.choices(actor, REQUEST_SERVICE, field.key, { limit: CHOICE_LIMIT });
    return choices.map((c) => ({ label: c.label, href: formPaths(res).form(REQUEST_SERVICE, { [field.key]: c.value }) }));
  }

  router.get('/portal/requests', pageRequires('portal.use'), async (req, res) => {
    const actor = currentActor(req);
    const [selfService, mine] = await Promise.all([deps.forms.usable(actor, { category: 'self-service' }), deps.formRuns.list(actor, { scope: 'mine', limit: MY_RUNS, offset: 0 })]);
    res.render('portal/requests/catalogue', {
      services: await requestableServices(actor, selfService, res),
      forms: selfService.filter((f) => f.key !== REQUEST_SERVICE),
      runs: runRows(mine.items),
      totalRuns: mine.total,
      paths: formPaths(res),
    });
  });

  /** The forms of one category with, for forms on customer users, the people in the actor's scope. */
  async function categoryPage(req: Request, res: Response, category: FormDefinition['category'], view: string): Promise<void> {
    const actor = currentActor(req);
    const forms = await deps.forms.usable(actor, { category });
    if (forms.length === 0) throw forbidden('No forms of this kind are yours to use.');
    const onPeople = forms.filter((f) => f.target === 'customer-user');
    const people: Choice[] = onPeople[0] ? await deps.forms.targets(actor, onPeople[0].key, { limit: CHOICE_LIMIT }) : [];
    const paths = formPaths(res);
    res.render(view, {
      forms: forms.map((f) => ({ ...f, href: paths.form(f.key) })),
      people: people.map((p) => ({ ...p, links: onPeople.map((f) => ({ title: f.title, href: paths.form(f.key, { target: p.value }) })) })),
      paths,
    });
  }

  router.get('/portal/team', pageRequires('portal.use'), async (req, res) => {
    await categoryPage(req, res, 'team', 'portal/requests/team');
  });

  router.get('/portal/organisation', pageRequires('portal.use'), async (req, res) => {
    await categoryPage(req, res, 'organisation', 'portal/requests/organisation');
  });

  router.get('/agent/forms', pageRequires('agent.use'), async (req, res) => {
    const forms = await deps.forms.usable(currentActor(req), { category: 'helpdesk' });
    const paths = formPaths(res);
    res.render('forms/agent-forms', { forms: forms.map((f) => ({ ...f, href: paths.form(f.key) })), paths });
  });

  return router;
}
