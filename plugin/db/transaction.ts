import type { Knex } from 'knex';

/**
 * A unit of work. Services open one to make several store calls (and their audit record) all-or-nothing;
 * they only pass it on to stores and never query through it themselves.
 */
export type Tx = Knex.Transaction;
export type RunInTransaction = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export const transactionRunner = (knex: Knex): RunInTransaction => (work) => knex.transaction(work);
