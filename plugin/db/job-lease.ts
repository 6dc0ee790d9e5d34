import type { Knex } from 'knex';
import { LoketError } from '../errors.js';
import { translateDbError } from './errors.js';
import { rowsOf } from './rows.js';
import type { TableNames } from './tables.js';
import { fromDbJson, toDbJson, toDbTime } from './values.js';

/** A lease row as read back: who holds (or last held) it, until when, and the progress it reported. */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
  /** True while the lease is unexpired (a released lease is kept, expired, for its last progress). */
  held: boolean;
  progress: unknown;
}

interface LeaseRow {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
  progress_json: string | null;
}

/**
 * Leases in the database, so long jobs (an LDAP sync) never overlap across processes and nodes. A lease
 * is one row per job name: taking it is an INSERT (the primary key lets exactly one of two racing
 * processes win) or, when the row exists but has expired, a conditional UPDATE that only one racing
 * process can match. The holder renews it while working; a crashed holder's lease simply expires.
 * Times are UTC ISO strings, which compare correctly as text on both dialects.
 */
export function createJobLeaseStore(knex: Knex, tables: TableNames) {
  const leases = () => knex<LeaseRow>(tables.job_leases);
  const later = (now: number, ttlMs: number) => toDbTime(now + ttlMs);

  return {
    /** True when `holder` now holds the lease; false when somebody else holds an unexpired one. */
    async acquire(name: string, holder: string, ttlMs: number, progress: unknown = null): Promise<boolean> {
      const now = Date.now();
      const row = { holder, acquired_at: toDbTime(now), expires_at: later(now, ttlMs), progress_json: toDbJson(progress) };
      try {
        await leases().insert({ name, ...row });
        return true;
      } catch (err) {
        const translated = translateDbError(err);
        if (!(translated instanceof LoketError && translated.code === 'duplicate')) throw translated;
      }
      const taken = await leases().where({ name }).where('expires_at', '<=', toDbTime(now)).update(row);
      return taken === 1;
    },

    /** Extends the lease and stores the progress; false when the lease was lost (expired and taken over). */
    async renew(name: string, holder: string, ttlMs: number, progress: unknown): Promise<boolean> {
      const changed = await leases().where({ name, holder }).update({ expires_at: later(Date.now(), ttlMs), progress_json: toDbJson(progress) });
      return changed === 1;
    },

    /** Ends the lease but keeps the row (expired) with the final progress, so the last report stays readable. */
    async release(name: string, holder: string, finalProgress: unknown): Promise<void> {
      await leases().where({ name, holder }).update({ expires_at: toDbTime(), progress_json: toDbJson(finalProgress) });
    },

    async read(name: string): Promise<Lease | null> {
      const [row] = await rowsOf<LeaseRow>(leases().where({ name }).select('name', 'holder', 'acquired_at', 'expires_at', 'progress_json'));
      if (!row) return null;
      return {
        name: row.name,
        holder: row.holder,
        acquiredAt: row.acquired_at,
        expiresAt: row.expires_at,
        held: row.expires_at > toDbTime(),
        progress: fromDbJson<unknown>(row.progress_json, null),
      };
    },
  };
}

export type JobLeaseStore = ReturnType<typeof createJobLeaseStore>;
