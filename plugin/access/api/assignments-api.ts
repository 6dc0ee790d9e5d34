import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { customerIdParam, loginParam, parseBody } from '../../customers/api-schemas.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { Actor } from '../actor.js';
import type { AssignmentService, AssignmentTarget } from '../assignments.js';
import { groupAssignmentsSchema, serviceAssignmentsSchema, type GroupAssignments } from '../groups/schema.js';
import type { GroupService } from '../groups/service.js';
import { nameOf } from './named-routes.js';
import { rankedPermissions } from './schemas.js';

type TargetOf = (req: Request, actor: Actor) => Promise<AssignmentTarget>;

/**
 * The group and service sets of customer users, customers, groups and the defaults: GET answers the
 * body PUT takes, PUT replaces the whole set (one transaction, audited).
 */
export function assignmentsApi(deps: { groups: GroupService; assignments: AssignmentService }): Router {
  const router = Router();

  const ranked = async (set: GroupAssignments): Promise<GroupAssignments> => {
    const rank = rankedPermissions(await deps.groups.permissionTypes());
    return { groups: set.groups.map((g) => ({ group: g.group, permissions: rank(g.permissions) })) };
  };

  function groupRoutes(path: string, targetOf: TargetOf): void {
    router.get(path, async (req, res) => {
      const actor = currentActor(req);
      res.json(await ranked(await deps.assignments.groupsOf(actor, await targetOf(req, actor))));
    });
    router.put(path, async (req, res) => {
      const actor = currentActor(req);
      const body = parseBody(groupAssignmentsSchema, req.body);
      const saved = await deps.assignments.setGroups(actor, await targetOf(req, actor), body, auditSubjectOf(actor, req.ip ?? null));
      res.json(await ranked(saved));
    });
  }

  function serviceRoutes(path: string, targetOf: TargetOf): void {
    router.get(path, async (req, res) => {
      const actor = currentActor(req);
      res.json(await deps.assignments.servicesOf(actor, await targetOf(req, actor)));
    });
    router.put(path, async (req, res) => {
      const actor = currentActor(req);
      const body = parseBody(serviceAssignmentsSchema, req.body);
      res.json(await deps.assignments.setServices(actor, await targetOf(req, actor), body, auditSubjectOf(actor, req.ip ?? null)));
    });
  }

  const customerUser: TargetOf = (req) => Promise.resolve({ kind: 'customer-user', login: parseInput(loginParam, req.params.login) });
  const customer: TargetOf = (req) => Promise.resolve({ kind: 'customer', customerId: parseInput(customerIdParam, req.params.customerId) });
  // A group named in the path that does not exist is a 404 (an unknown group in a body is a 422).
  const group: TargetOf = async (req, actor) => ({ kind: 'group', name: (await deps.groups.get(actor, nameOf(req))).name });
  const defaultsFor = (scope: 'customer-users' | 'customers'): TargetOf => () => Promise.resolve({ kind: 'default', scope });

  groupRoutes('/customer-users/:login/groups', customerUser);
  serviceRoutes('/customer-users/:login/services', customerUser);
  groupRoutes('/customers/:customerId/groups', customer);
  serviceRoutes('/customers/:customerId/services', customer);
  serviceRoutes('/groups/:name/services', group);
  groupRoutes('/defaults/groups', defaultsFor('customer-users'));
  groupRoutes('/defaults/customer-groups', defaultsFor('customers'));
  // Default services reach every customer user; the scope only names the audit entry.
  serviceRoutes('/defaults/services', defaultsFor('customer-users'));

  return router;
}
