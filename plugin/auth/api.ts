import { Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import type { ApiOperation } from '../web/openapi.js';
import { currentActor } from '../web/middleware/guards.js';

export const meResponseSchema = z.object({
  login: z.string(),
  kind: z.enum(['admin', 'agent', 'customer']),
  roles: z.array(z.enum(['admin', 'agent', 'customer', 'key-user', 'manager'])),
  name: z.string(),
  email: z.string().nullable(),
  customerId: z.string().nullable(),
  customerIds: z.array(z.string()),
  keyUserOf: z.array(z.string()),
  effectiveCustomerId: z.string().nullable(),
  delegation: z
    .object({ id: z.number(), customerId: z.string(), customerName: z.string(), role: z.enum(['customer', 'key-user']), endsAt: z.string().nullable() })
    .nullable()
    .describe('Set while working in another organisation through a delegation (endsAt null: open-ended).'),
  deputyFor: z
    .array(z.object({ login: z.string(), name: z.string(), keyUserOf: z.array(z.string()), manager: z.boolean(), endsAt: z.string() }))
    .describe('Holiday cover in force: the people the caller stands in for until endsAt.'),
  language: z.string().nullable(),
  authenticatedBy: z.enum(['session', 'token']),
  groupPermissions: z
    .record(z.string(), z.array(z.string()))
    .describe('Customer users: group → permission types held right now (direct, via their customers, defaults; rw implies the others). Staff: {} (admins hold every group).'),
});

export const presentMe = (actor: Actor): z.infer<typeof meResponseSchema> => ({
  login: actor.login,
  kind: actor.kind,
  roles: actor.roles,
  name: actor.displayName,
  email: actor.email,
  customerId: actor.customerId,
  customerIds: actor.customerIds,
  keyUserOf: actor.keyUserOf,
  effectiveCustomerId: actor.effectiveCustomerId,
  delegation: actor.delegation,
  deputyFor: actor.deputyFor.map((g) => ({ login: g.login, name: g.name, keyUserOf: g.keyUserOf, manager: g.manager, endsAt: g.endsAt })),
  language: actor.language,
  authenticatedBy: actor.authenticatedBy,
  groupPermissions: Object.fromEntries(Object.entries(actor.groupPermissions).map(([group, held]) => [group, [...held]])),
});

export const meOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me',
    summary: 'Who the caller is (session or token)',
    tag: 'session',
    response: meResponseSchema,
    errors: { 401: 'No valid session or token' },
  },
];

export function meApi(): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    res.json(presentMe(currentActor(req)));
  });
  return router;
}
