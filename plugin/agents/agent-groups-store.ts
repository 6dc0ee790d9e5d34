import type { Knex } from 'knex';
import type { GroupGrant } from '../access/effective-permissions.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';

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

    async replace(agentId: number, grants: readonly { groupId: number; permission: string }[], tx: Tx): Promise<void> {
      await tx(tables.agent_groups).where({ agent_id: agentId }).del();
      if (grants.length) await tx(tables.agent_groups).insert(grants.map((g) => ({ agent_id: agentId, group_id: g.groupId, permission: g.permission })));
    },
  };
}

export type AgentGroupStore = ReturnType<typeof createAgentGroupStore>;
