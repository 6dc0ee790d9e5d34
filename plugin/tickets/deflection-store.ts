import type { Knex } from 'knex';
import type { TableNames } from '../db/tables.js';
import { toDbTime } from '../db/values.js';

export const DEFLECTION_OUTCOMES = ['opened', 'answered'] as const;
export type DeflectionOutcome = (typeof DEFLECTION_OUTCOMES)[number];

/** The ticket form's FAQ outcomes: a suggestion opened, and one that answered the question (no ticket filed). */
export function createDeflectionStore(knex: Knex, tables: TableNames) {
  return {
    async record(entry: { articleId: number; outcome: DeflectionOutcome; query: string; customerUserId: number | null; customerId: string | null }): Promise<void> {
      await knex(tables.faq_deflections).insert({
        article_id: entry.articleId,
        outcome: entry.outcome,
        query: entry.query.slice(0, 500),
        customer_user_id: entry.customerUserId,
        customer_id: entry.customerId,
        created_at: toDbTime(),
      });
    },
  };
}

export type DeflectionStore = ReturnType<typeof createDeflectionStore>;
