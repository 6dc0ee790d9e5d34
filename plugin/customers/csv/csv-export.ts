import type { Actor } from '../../access/actor.js';
import { requireCapability } from '../../access/policy.js';
import { LoketError } from '../../errors.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import type { CustomerUserService } from '../customer-user-service.js';
import type { FieldMap } from '../field-map.js';
import type { Validity } from '../schema.js';
import { joinList, neutraliseCell } from './csv-format.js';

/** Columns after the map's keys: the relations, in this order. Passwords and hashes never leave. */
export const RELATION_COLUMNS = ['customerIds', 'keyUserOf', 'manager', 'validity'] as const;

export interface ExportQuery {
  search?: string | undefined;
  customerId?: string | undefined;
  validity?: Validity | undefined;
}

export interface CsvExport {
  total: number;
  /** Header first, then one row per user; every cell already neutralised. */
  rows: AsyncGenerator<string[]>;
}

const cellOf = (value: string | number | null | undefined): string => neutraliseCell(value === null || value === undefined ? '' : String(value));

function rowOf(map: FieldMap, user: CustomerUserRecord): string[] {
  const core: Record<string, string> = { login: user.login, email: user.email, customerId: user.customerId };
  return [
    ...map.map((row) => cellOf(core[row.key] ?? user.fields[row.key])),
    cellOf(joinList(user.customerIds)),
    cellOf(joinList(user.keyUserOf)),
    cellOf(user.manager),
    cellOf(user.validity),
  ];
}

export interface CsvExportDeps {
  customerUsers: Pick<CustomerUserService, 'search' | 'fieldMap'>;
  /** Users per search call: the configured search limit, so one call never asks for more than a screen may. */
  pageSize: number;
  /** Hard cap on one export; more matching users is a 422 asking for a narrower filter. */
  maxRows: number;
}

/**
 * Customer users as CSV rows. Every page comes from the customer-user search, so the actor's scope
 * (a key user sees only their customers) applies exactly as on the list screen and in the API.
 */
export function createCsvExport(deps: CsvExportDeps) {
  return {
    async exportUsers(actor: Actor, query: ExportQuery): Promise<CsvExport> {
      requireCapability(actor, 'customer-user.read');
      const map = await deps.customerUsers.fieldMap();
      // The export looks at up to maxRows matches (a screen stops at the list limit).
      const page = (offset: number) => deps.customerUsers.search(actor, { ...query, limit: deps.pageSize, offset, cap: deps.maxRows });
      const first = await page(0);
      if (first.capped) {
        throw new LoketError({
          status: 422,
          code: 'export_too_large',
          message: `More than ${deps.maxRows} customer users match; one export holds at most ${deps.maxRows}. Narrow it with search, customerId or validity.`,
        });
      }

      async function* rows(): AsyncGenerator<string[]> {
        yield [...map.map((row) => row.key), ...RELATION_COLUMNS].map(neutraliseCell);
        // Pages are read by offset; a user added meanwhile can shift a page, so a login seen twice is skipped.
        const seen = new Set<string>();
        let current = first;
        let offset = 0;
        for (;;) {
          for (const user of current.items) {
            if (seen.has(user.login) || seen.size >= deps.maxRows) continue;
            seen.add(user.login);
            yield rowOf(map, user);
          }
          offset += deps.pageSize;
          if (current.items.length < deps.pageSize || seen.size >= deps.maxRows) return;
          current = await page(offset);
        }
      }

      return { total: first.total, rows: rows() };
    },
  };
}
