import type { CustomerService } from '../customer-service.js';
import type { CustomerUserService } from '../customer-user-service.js';
import { createCsvExport } from './csv-export.js';
import { createCsvImport } from './csv-import.js';

/** One export holds at most this many users; more is a 422 asking for a narrower filter. */
export const MAX_EXPORT_ROWS = 100_000;
/** One import file holds at most this many rows (more is a 413), and at most this many bytes. */
export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/**
 * New users per real import: each one costs an argon2 hash (about 50 ms here), so a bigger file would
 * keep one request busy for many minutes and a proxy timeout would lose the generated passwords.
 */
export const MAX_IMPORT_CREATES = 1000;

export interface CustomerCsvDeps {
  customerUsers: CustomerUserService;
  customers: Pick<CustomerService, 'findMany'>;
  agentLoginExists: (login: string) => Promise<boolean>;
  /** Ids of customer users with this (lower-cased) address, for the e-mail uniqueness check. */
  emailOwnerIds: (email: string) => Promise<number[]>;
  emailUnique: boolean;
  /** Users per search call while exporting: the configured search limit. */
  pageSize: number;
  maxExportRows?: number;
  maxImportRows?: number;
  maxImportCreates?: number;
}

/** CSV export and import of customer users, both over the customer-user service and its scope. */
export function createCustomerCsvService(deps: CustomerCsvDeps) {
  const exporter = createCsvExport({ customerUsers: deps.customerUsers, pageSize: deps.pageSize, maxRows: deps.maxExportRows ?? MAX_EXPORT_ROWS });
  const importer = createCsvImport({
    customerUsers: deps.customerUsers,
    maxRows: deps.maxImportRows ?? MAX_IMPORT_ROWS,
    maxCreates: deps.maxImportCreates ?? MAX_IMPORT_CREATES,
    findByLogin: (login) => deps.customerUsers.findByLogin(login),
    findCustomers: async (ids) => (await deps.customers.findMany(ids)).map((c) => c.customerId),
    agentLoginExists: deps.agentLoginExists,
    emailOwnerIds: deps.emailOwnerIds,
    emailUnique: deps.emailUnique,
  });
  return {
    exportUsers: (...args: Parameters<typeof exporter.exportUsers>) => exporter.exportUsers(...args),
    importUsers: (...args: Parameters<typeof importer.importUsers>) => importer.importUsers(...args),
  };
}

export type CustomerCsvService = ReturnType<typeof createCustomerCsvService>;
