import { Router } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { parseBody, parseQuery } from '../../customers/api-schemas.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import type { AssignmentService } from '../assignments.js';
import { groupNameSchema, namedCreateSchema, permissionTypeSchema } from '../groups/schema.js';
import type { GroupService } from '../groups/service.js';
import { nameOf, namedEntryRoutes } from './named-routes.js';
import { memberChangesSchema, membersQuery, presentGroup, presentPermissionTypes, rankedPermissions } from './schemas.js';

/** `/api/v1/groups` (with the group → members matrix) and `/api/v1/permission-types`. */
export function groupsApi(deps: { groups: GroupService; assignments: AssignmentService }): Router {
  const router = Router();
  namedEntryRoutes(router, { collection: '/groups', what: 'group', service: deps.groups, createSchema: namedCreateSchema(groupNameSchema), present: presentGroup });

  router.get('/groups/:name/members', async (req, res) => {
    const actor = currentActor(req);
    const query = parseQuery(membersQuery, req.query);
    // The group is named in the path: one that does not exist is a 404, as for its GET.
    const group = await deps.groups.get(actor, nameOf(req));
    const page = await deps.assignments.members(actor, group.name, query.kind, query);
    const ranked = rankedPermissions(await deps.groups.permissionTypes());
    const items = page.items.map((m) =>
      query.kind === 'customer' ? { customer: m.key, permissions: ranked(m.permissions) } : { customerUser: m.key, permissions: ranked(m.permissions) },
    );
    res.json({ items, total: page.total, limit: page.limit });
  });

  router.post('/groups/:name/members', async (req, res) => {
    const actor = currentActor(req);
    const { changes } = parseBody(memberChangesSchema, req.body);
    const group = await deps.groups.get(actor, nameOf(req));
    res.json({ changed: await deps.assignments.setMembers(actor, group.name, changes, auditSubjectOf(actor, req.ip ?? null)) });
  });

  // The service lists types for anybody who asks (screens need them); the API shows them to staff only.
  router.get('/permission-types', apiRequires('group.read'), async (_req, res) => {
    res.json(presentPermissionTypes(await deps.groups.permissionTypes()));
  });

  router.post('/permission-types', async (req, res) => {
    const actor = currentActor(req);
    const types = await deps.groups.addPermissionType(actor, parseBody(permissionTypeSchema, req.body), auditSubjectOf(actor, req.ip ?? null));
    res.status(201).json(presentPermissionTypes(types));
  });

  return router;
}
