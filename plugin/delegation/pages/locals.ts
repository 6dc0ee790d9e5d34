import type { Request, RequestHandler } from 'express';
import type { Actor } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { ownActorOf } from '../../web/middleware/delegation.js';
import { isApiRequest } from '../../web/middleware/errors.js';
import type { DelegationPagesDeps } from './deps.js';

export interface OrganisationChoice {
  customerId: string;
  name: string;
  own: boolean;
}

/** The top bar's organisation switcher and, while switched, the banner. */
export interface OrganisationBar {
  own: { customerId: string; name: string };
  /** The own organisation first, then each active delegation's. */
  choices: OrganisationChoice[];
  /** The organisation this session works in through a delegation (null: at home). */
  current: { customerId: string; name: string; endsAt: string | null } | null;
  /** Where the switch returns to: this page when it can be opened again, else the portal. */
  returnTo: string;
}

export type OrganisationNotice = NonNullable<Request['session']['organisationNotice']>;

/** Which delegation screens the person may open (the nav and the screens' own links read it). */
export interface DelegationLinks {
  delegations: boolean;
  mine: boolean;
  deputies: boolean;
}

const NO_LINKS: DelegationLinks = { delegations: false, mine: false, deputies: false };

/** Deputies: key users and managers name them, deputies see theirs; never from a delegated session. */
const opensDeputies = (actor: Actor): boolean => !actor.delegation && actor.principal.type === 'customer-user' && (can(actor, 'deputy.manage') || actor.deputyFor.length > 0);

/**
 * Page requests of a customer user: the organisation switcher (own organisation and active delegations),
 * the banner while working elsewhere, and the switch notice, shown once (removed by the next page that is
 * rendered). One list query per page; names only when there is something to show.
 */
export function delegationLocals(deps: Pick<DelegationPagesDeps, 'delegations' | 'customers'>): RequestHandler {
  return (req, res, next) => {
    res.locals.organisationBar = null;
    res.locals.delegationLinks = NO_LINKS;
    if (isApiRequest(req) || req.path.startsWith('/assets/')) {
      next();
      return;
    }
    // Taken by the page that shows it (views/delegation/partials/bar.ejs), so a redirect never swallows it.
    res.locals.takeOrganisationNotice = (): OrganisationNotice | null => {
      const notice = req.session?.organisationNotice ?? null;
      if (notice) delete req.session.organisationNotice;
      return notice;
    };
    const own = ownActorOf(req);
    const actor = req.user;
    if (!own || !actor || own.principal.type !== 'customer-user') {
      next();
      return;
    }
    load(req, own, actor).then((bar) => {
      res.locals.organisationBar = bar;
      res.locals.delegationLinks = {
        delegations: deps.delegations.managedCustomers(actor).length > 0,
        mine: bar !== null,
        deputies: opensDeputies(actor),
      } satisfies DelegationLinks;
      next();
    }, next);
  };

  async function load(req: Request, own: Actor, actor: Actor): Promise<OrganisationBar | null> {
    const usable = await deps.delegations.switchable(own);
    const current = actor.delegation;
    if ((!usable.length && !current) || own.customerId === null) return null;
    const [home] = await deps.customers.findMany([own.customerId]);
    const ownChoice = { customerId: own.customerId, name: home?.name ?? own.customerId, own: true };
    const elsewhere = usable
      .filter((d) => !own.customerIds.includes(d.customerId))
      .map((d) => ({ customerId: d.customerId, name: d.customerName, own: false }))
      .filter((c, i, all) => all.findIndex((o) => o.customerId === c.customerId) === i);
    // The organisation this request works in is always a choice, even if it ended a moment ago.
    if (current && !elsewhere.some((c) => c.customerId === current.customerId)) elsewhere.push({ customerId: current.customerId, name: current.customerName, own: false });
    return {
      own: { customerId: ownChoice.customerId, name: ownChoice.name },
      choices: [ownChoice, ...elsewhere],
      current: current ? { customerId: current.customerId, name: current.customerName, endsAt: current.endsAt } : null,
      returnTo: req.method === 'GET' ? req.path : '/portal',
    };
  }
}
