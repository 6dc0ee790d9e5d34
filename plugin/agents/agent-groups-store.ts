import type { Knex } from 'knex';
import type { GroupGrant } from '../access/effective-permissions.js';
import { nameKey } from '../access/groups/store.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';

/** An agent as someone to write to: enough to address, greet and pick the language. */
export interface AgentContact {
  id: number;
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  language: string | null;
}

/** Which groups an agent works in, with which permission (queues belong to groups). */
export function createAgentGroupStore(knex: Knex, tables: TableNames) {
  return {
    /** Grants in valid groups only: an invalid group grants nothing anywhere. */
    async validGrants(agentId: number): Promise<GroupGrant[]> {
      return rowsOf<GroupGrant>(
        knex(`${tables.agent_groups} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').where('a.agent_id', agentId).where('g.validity', 'valid').orderBy(['g.name_key', 'a.permission']).select('g.name as group', 'a.permission as permission'),
      );
    },

    async grants(agentId: number, tx?: Tx): Promise<GroupGrant[]> {
      return rowsOf<GroupGrant>(
        (tx ?? knex)(`${tables.agent_groups} as a`).join(`${tables.groups} as g`, 'g.id', 'a.group_id').where('a.agent_id', agentId).orderBy(['g.name_key', 'a.permission']).select('g.name as group', 'a.permission as permission'),
      );
    },

    /**
     * Valid agents with an e-mail address who hold one of `permissions` in the valid group `groupName`
     * (admins only through grants of their own: holding everything is not asking for every mail).
     */
    async contactsInGroup(groupName: string, permissions: readonly string[]): Promise<AgentContact[]> {
      if (!permissions.length) return [];
      const rows = await rowsOf<AgentContact>(
        knex(`${tables.agent_groups} as ag`)
          .join(`${tables.groups} as g`, 'g.id', 'ag.group_id')
          .join(`${tables.agents} as a`, 'a.id', 'ag.agent_id')
          .where('g.name_key', nameKey(groupName))
          .where('g.validity', 'valid')
          .where('a.validity', 'valid')
          .whereIn('ag.permission', [...permissions])
          .whereNotNull('a.email')
          .whereNot('a.email', '')
          .distinct('a.id as id', 'a.login as login', 'a.email as email', 'a.first_name as firstName', 'a.last_name as lastName', 'a.language as language')
          .orderBy('id'),
      );
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },

    async replace(agentId: number, grants: readonly { groupId: number; permission: string }[], tx: Tx): Promise<void> {
      await tx(tables.agent_groups).where({ agent_id: agentId }).del();
      if (grants.length) await tx(tables.agent_groups).insert(grants.map((g) => ({ agent_id: agentId, group_id: g.groupId, permission: g.permission })));
    },
  };
}

export type AgentGroupStore = ReturnType<typeof createAgentGroupStore>;
