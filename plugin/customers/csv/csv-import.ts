import type { Actor } from '../../access/actor.js';
import { requireCapability } from '../../access/policy.js';
import type { AuditSubject } from '../../audit/service.js';
import { LoketError } from '../../errors.js';
import type { CustomerUserService } from '../customer-user-service.js';
import { parseCsv } from './csv-format.js';
import { planImport, type ImportError, type ImportPlan, type PlanLookups, type PlannedRow } from './csv-import-plan.js';
import { checkHeader } from './csv-import-rows.js';

export type { ImportError } from './csv-import-plan.js';

export interface ImportReport {
  dryRun: boolean;
  /** Data rows read (blank rows are skipped). */
  rows: number;
  creates: number;
  updates: number;
  unchanged: number;
  errors: ImportError[];
  /** Users this import created; a generated password appears here once and nowhere else. */
  created: { login: string; generatedPassword?: string }[];
  /** Per created or updated row: which columns it sets (no values, so the report carries no personal data twice). */
  changes: { row: number; login: string; action: 'create' | 'update'; fields: string[] }[];
}

export interface ImportOutcome {
  report: ImportReport;
  /** Set when the import was refused or stopped: the status to answer with and why. */
  failure?: { status: number; code: string; message: string; cause?: unknown };
}

export interface CsvImportDeps extends PlanLookups {
  customerUsers: Pick<CustomerUserService, 'fieldMap' | 'create' | 'update'>;
  maxRows: number;
  maxCreates: number;
}

function reportOf(plan: ImportPlan, rows: number, dryRun: boolean): ImportReport {
  const count = (kind: PlannedRow['kind']) => plan.ops.filter((op) => op.kind === kind).length;
  return {
    dryRun,
    rows,
    creates: count('create'),
    updates: count('update'),
    unchanged: count('unchanged'),
    errors: plan.errors,
    created: [],
    changes: plan.ops.flatMap((op): ImportReport['changes'] => {
      if (op.kind === 'create') return [{ row: op.row, login: op.login, action: 'create', fields: Object.keys(op.input) }];
      if (op.kind === 'update') return [{ row: op.row, login: op.login, action: 'update', fields: Object.keys(op.changes) }];
      return [];
    }),
  };
}

/**
 * Customer users from CSV. A dry run checks every row and writes nothing. A real import first runs the
 * same dry run and refuses the whole file (422, nothing written) if any row has an error; otherwise it
 * applies the rows in file order through the customer-user service, each create and update audited and
 * in its own transaction, with the version seen by the dry run (a user changed meanwhile is a 409).
 * Should a row still fail then (someone changed the data between check and write), the import stops
 * there and the report says which rows were applied.
 */
export function createCsvImport(deps: CsvImportDeps) {
  return {
    async importUsers(actor: Actor, text: string, opts: { dryRun: boolean }, subject: AuditSubject): Promise<ImportOutcome> {
      requireCapability(actor, 'customer-user.manage');
      const map = await deps.customerUsers.fieldMap();
      const table = parseCsv(text, deps.maxRows);
      checkHeader(map, table.header);
      const plan = await planImport(actor, map, table, deps);
      const planned = reportOf(plan, table.rows.length, true);
      if (opts.dryRun) return { report: planned };
      if (plan.errors.length) {
        const message = `${plan.errors.length} of ${table.rows.length} rows have errors; nothing was imported. Fix them and try again.`;
        return { report: planned, failure: { status: 422, code: 'import_has_errors', message } };
      }
      if (planned.creates > deps.maxCreates) {
        const message = `This file creates ${planned.creates} users; one import creates at most ${deps.maxCreates}. Split the file and import the parts one after another.`;
        return { report: planned, failure: { status: 422, code: 'too_many_creates', message } };
      }

      const report: ImportReport = { ...planned, dryRun: false, creates: 0, updates: 0 };
      for (const op of plan.ops) {
        try {
          if (op.kind === 'create') {
            const { user, generatedPassword } = await deps.customerUsers.create(actor, op.input, subject);
            report.created.push(generatedPassword === undefined ? { login: user.login } : { login: user.login, generatedPassword });
            report.creates++;
          } else if (op.kind === 'update') {
            await deps.customerUsers.update(actor, op.login, op.changes, subject, op.version);
            report.updates++;
          }
        } catch (err) {
          const known = err instanceof LoketError && err.status < 500;
          const reason = known ? err.message : 'Something went wrong on our side.';
          report.errors = [{ row: op.row, login: op.login, field: known ? (err.field ?? null) : null, message: reason }];
          report.changes = report.changes.filter((change) => change.row < op.row);
          const done = report.creates + report.updates;
          const message = `Row ${op.row} (${op.login}) failed: ${reason} The ${done} changes before it were imported; the rows from it on were not.`;
          return { report, failure: { status: known ? err.status : 500, code: 'import_stopped', message, cause: err } };
        }
      }
      return { report };
    },
  };
}

export type CsvImport = ReturnType<typeof createCsvImport>;
