import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import express, { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { auditSubjectOf } from '../../audit/service.js';
import { validationError } from '../../errors.js';
import { apiRequires, currentActor } from '../../web/middleware/guards.js';
import type { ApiOperation } from '../../web/openapi.js';
import { parseInput } from '../../web/validate.js';
import { customerIdSchema, VALIDITIES } from '../schema.js';
import { decodeUtf8 } from './csv-format.js';
import type { ImportOutcome } from './csv-import.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type CustomerCsvService } from './csv-service.js';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const exportQuery = z.object({
  search: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  customerId: z.preprocess(emptyToUndefined, customerIdSchema.optional()),
  validity: z.preprocess(emptyToUndefined, z.enum(VALIDITIES).optional()),
});

const importQuery = z.object({ dryRun: z.enum(['true', 'false'], 'dryRun must be true or false') });

export const importReportSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  creates: z.number(),
  updates: z.number(),
  unchanged: z.number(),
  errors: z.array(z.object({ row: z.number(), login: z.string().nullable(), field: z.string().nullable(), message: z.string() })),
  created: z.array(z.object({ login: z.string(), generatedPassword: z.string().optional() })),
  changes: z.array(z.object({ row: z.number(), login: z.string(), action: z.enum(['create', 'update']), fields: z.array(z.string()) })),
});

/** The media types an import body may have; anything else never reaches the CSV parser. */
const CSV_TYPES = ['text/csv', 'application/csv'];

export const customerCsvOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/exports/customer-users',
    summary:
      'Customer users the caller may read, as CSV (text/csv, UTF-8 with BOM, attachment). Query: search, customerId, validity ' +
      '(as GET /customer-users). Columns: every field-map key in map order, then customerIds and keyUserOf (";"-separated), ' +
      'manager, validity. Cells starting with = + - @ TAB or CR get a leading \' so spreadsheets do not run them. At most 100,000 users.',
    tag: 'customer-users',
    errors: { 400: 'A query parameter is invalid, repeated or unknown', 401: 'No valid session or token', 403: 'Not allowed to read customer users', 422: 'More than 100,000 users match' },
  },
  {
    method: 'post',
    path: '/imports/customer-users',
    summary:
      `Creates and updates customer users from a CSV body (Content-Type: text/csv, UTF-8, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB and ${MAX_IMPORT_ROWS} rows). ` +
      'Query: dryRun=true|false (required). Header: field-map keys plus optional customerIds, keyUserOf, manager, validity, password; login is required. ' +
      'An existing login is updated with the columns given (an empty cell clears a field; empty validity or password leaves it unchanged), ' +
      'a new login is created (a generated password appears once in created). A real import with any row error writes nothing (422 with the report).',
    tag: 'customer-users',
    response: importReportSchema,
    errors: {
      400: 'Not CSV, unknown or repeated header, no login column, or a bad query parameter',
      401: 'No valid session or token',
      403: 'Not allowed to manage customer users',
      409: 'A row conflicted with a change made after the check; rows before it were imported (see the report)',
      413: 'The body or the number of rows is over the limit',
      422: 'Rows have errors; nothing was imported (the body is the report with an error)',
    },
  },
];

/** A misspelt filter must fail, not quietly export everything. */
function refuseUnknownQuery(req: Request, known: z.ZodObject): void {
  const unknown = Object.keys(req.query).find((key) => !Object.hasOwn(known.shape, key));
  if (unknown !== undefined) throw validationError(`${unknown}: unknown query parameter`, unknown);
}

function charsetIsUtf8(req: Request): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1];
  return charset === undefined || /^utf-?8$/i.test(charset);
}

/** `/api/v1/exports/customer-users` and `/api/v1/imports/customer-users`. */
export function customerCsvApi(deps: { csv: CustomerCsvService; logger: Logger }): Router {
  const router = Router();

  router.get('/exports/customer-users', apiRequires('customer-user.read'), async (req, res) => {
    refuseUnknownQuery(req, exportQuery);
    const query = parseInput(exportQuery, req.query);
    const { rows } = await deps.csv.exportUsers(currentActor(req), query);
    res.status(200).set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="customer-users-${new Date().toISOString().slice(0, 10)}.csv"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    try {
      await pipeline(Readable.from(rows), stringify({ bom: true, record_delimiter: 'windows' }), res);
    } catch (err) {
      // The status line is sent: all that is left is to cut the download short, which pipeline did.
      deps.logger.warn({ err }, 'customer-user export stopped');
    }
  });

  router.post(
    '/imports/customer-users',
    apiRequires('customer-user.manage'),
    // After the guard: nobody without the right makes Loket read a 5 MB body.
    express.raw({ type: CSV_TYPES, limit: MAX_IMPORT_BYTES }),
    async (req, res) => {
      refuseUnknownQuery(req, importQuery);
      const { dryRun } = parseInput(importQuery, req.query);
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw validationError('Send the CSV file as the request body with Content-Type: text/csv.', 'body');
      if (!charsetIsUtf8(req)) throw validationError('The CSV must be UTF-8 (charset=utf-8).', 'body');
      const actor = currentActor(req);
      const outcome: ImportOutcome = await deps.csv.importUsers(actor, decodeUtf8(body), { dryRun: dryRun === 'true' }, auditSubjectOf(actor, req.ip ?? null));
      const report = outcome.report satisfies z.output<typeof importReportSchema>;
      if (!outcome.failure) {
        res.json(report);
        return;
      }
      if (outcome.failure.status >= 500) deps.logger.error({ err: outcome.failure.cause }, 'customer-user import stopped');
      res.status(outcome.failure.status).json({ error: { code: outcome.failure.code, message: outcome.failure.message }, ...report });
    },
  );

  return router;
}
