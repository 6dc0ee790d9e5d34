/**
 * The in-process measurements: the pure computation over the plan's inputs; the assignment service's
 * `effective` (the user lookup, the store reads and the computation); `permissionIndexFor`, which every
 * request of a customer user pays when the session or token is resolved, next to resolving the customer
 * user and an agent as a whole; and the members matrix's service call for the first and a late page.
 * Each also gets the list of SQL statements of one call.
 */
import { computeEffectivePermissions, type EffectivePermissions } from '../../plugin/access/effective-permissions.js';
import type { LoketInternals } from '../../plugin/loket.js';
import { inputsOf, type Plan } from './fixture.js';
import type { Fixture } from './setup.js';
import { recordStatements, timeAsync, timeSync, type Statement, type Timed } from './timing.js';
import { MEMBERS_PER_PAGE } from '../../plugin/access/pages/forms.js';

export interface InProcessSettings {
  /** Calls of the pure computation: warm-up, then rounds × per round. */
  computeWarmup: number;
  computeRounds: number;
  computePerRound: number;
  /** Calls of each database-reading service method: warm-up, then rounds × per round. */
  callWarmup: number;
  callRounds: number;
  callsPerRound: number;
}

export interface Measured {
  label: string;
  timed: Timed;
  statements: Statement[];
}

export interface InProcess {
  computation: Timed;
  size: { cells: number; implied: number; groupReasons: number; groups: number; services: number; serviceReasons: number; jsonBytes: number };
  /** The plan's inputs give the same cells, services and reasons as the service reading the database. */
  matchesService: boolean;
  calls: Measured[];
  /** The late page's statements, for their query plans. */
  lateMembers: Statement[];
  lateOffset: number;
}

/** Cells and services with their reasons in a fixed order, to compare two results whatever order the reads came in. */
function canonical(e: EffectivePermissions): string {
  const sorted = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
  return JSON.stringify({
    groups: e.groups.map((g) => ({ ...g, reasons: sorted(g.reasons) })),
    services: e.services.map((s) => ({ ...s, reasons: sorted(s.reasons) })),
  });
}

export async function measureInProcess(
  loket: LoketInternals,
  plan: Plan,
  fixture: Fixture,
  lateOffset: number,
  settings: InProcessSettings,
  dbPids: number[],
  progress: (text: string) => void,
): Promise<InProcess> {
  const { services, knex } = loket.container;
  const admin = fixture.admin.actor;
  const inputs = inputsOf(plan);
  const fromPlan = computeEffectivePermissions(inputs);
  const fromService = await services.assignments.effective(admin, fixture.user.login);
  const matchesService = canonical(fromPlan) === canonical(fromService);

  progress(`  the pure computation: ${settings.computeRounds} × ${settings.computePerRound} calls`);
  const computation = timeSync(() => computeEffectivePermissions(inputs), { warmup: settings.computeWarmup, rounds: settings.computeRounds, perRound: settings.computePerRound });

  const record = await services.customerUsers.findByLogin(fixture.user.login);
  if (!record) throw new Error(`the bench user ${fixture.user.login} is missing`);
  const callOpts = { warmup: settings.callWarmup, rounds: settings.callRounds, perRound: settings.callsPerRound, dbPids };
  const measure = async (label: string, call: () => Promise<unknown>): Promise<Measured> => {
    progress(`  ${label}: ${settings.callRounds} × ${settings.callsPerRound} calls`);
    const timed = await timeAsync(call, callOpts);
    const { statements } = await recordStatements(knex, call);
    return { label, timed, statements };
  };
  const page = (offset: number) => ({ limit: MEMBERS_PER_PAGE, offset });
  const calls = [
    await measure('assignments.effective(admin, login)', () => services.assignments.effective(admin, fixture.user.login)),
    await measure('assignments.permissionIndexFor(user record)', () => services.assignments.permissionIndexFor(record)),
    await measure("actors.resolve(customer user, 'token'): the whole per-request actor", () => services.actors.resolve({ type: 'customer-user', id: fixture.user.id }, 'token')),
    await measure("actors.resolve(agent, 'token')", () => services.actors.resolve({ type: 'agent', id: fixture.agent.id }, 'token')),
    await measure('assignments.members(group, customer-user, offset 0)', () => services.assignments.members(admin, plan.matrixGroup, 'customer-user', page(0))),
    await measure(`assignments.members(group, customer-user, offset ${lateOffset})`, () => services.assignments.members(admin, plan.matrixGroup, 'customer-user', page(lateOffset))),
  ];
  const late = calls[calls.length - 1]!;

  const implied = fromService.groups.filter((g) => g.reasons.every((r) => r.impliedBy !== undefined)).length;
  return {
    computation,
    size: {
      cells: fromService.groups.length,
      implied,
      groupReasons: fromService.groups.reduce((n, g) => n + g.reasons.length, 0),
      groups: new Set(fromService.groups.map((g) => g.group)).size,
      services: fromService.services.length,
      serviceReasons: fromService.services.reduce((n, s) => n + s.reasons.length, 0),
      jsonBytes: Buffer.byteLength(JSON.stringify(fromService)),
    },
    matchesService,
    calls,
    lateMembers: late.statements,
    lateOffset,
  };
}
