import { Router, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { z } from 'zod';
import { can } from '../../access/policy.js';
import { auditSubjectOf } from '../../audit/service.js';
import { LoketError, validationError } from '../../errors.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { decodeUtf8, tooLarge } from './csv-format.js';
import type { ImportReport } from './csv-import.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type CustomerCsvService } from './csv-service.js';

const IMPORT_PATH = '/customer-users/import';
const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;
/** Rows of the change list a page shows; the API answers all of them. */
const SHOWN_CHANGES = 500;

const importForm = z.object({ dryRun: z.literal('1').optional() });

function uploadError(err: unknown): LoketError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return tooLarge(`The file is larger than ${MAX_MB} MB; split it into smaller files.`);
    return validationError(`The upload could not be read (${err.message}). Send one CSV file.`, err.field ?? 'file');
  }
  return validationError('The upload could not be read. Send one CSV file.', 'file');
}

/**
 * Reads the upload form (multipart) *before* the global CSRF check. csrf-sync takes the token from
 * `req.body._csrf`, and only multer fills `req.body` for multipart, so without this the form's token
 * is invisible and every upload is refused. Parsing first keeps the one CSRF check for every route
 * (nothing is exempted, and no token travels in a URL). Only someone who may import gets this far, so
 * no one else can make Loket buffer an upload; the decision to import stays with the route's guard
 * and the service. The file is held in memory, one file, at most MAX_IMPORT_BYTES.
 */
export function csvUploadParser(): Router {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 50 },
  }).single('file');
  const parse: RequestHandler = (req, res, next) => {
    if (!can(req.user, 'customer-user.manage')) {
      next();
      return;
    }
    upload(req, res, (err?: unknown) => (err === undefined ? next() : next(uploadError(err))));
  };
  const router = Router();
  router.post(IMPORT_PATH, parse);
  return router;
}

interface PageState {
  report: ImportReport | null;
  /** Why the file was refused or the import stopped (the service's message). */
  error: string | null;
  noFile: boolean;
}

/** `/customer-users/import`: upload a CSV, see the dry-run report or the import's result. */
export function customerCsvPages(deps: { csv: CustomerCsvService; logger: Logger }): Router {
  const router = Router();
  router.use(IMPORT_PATH, pageRequires('customer-user.manage'));

  function render(res: Response, state: PageState): void {
    res.render('customers/import', { ...state, maxMb: MAX_MB, maxRows: MAX_IMPORT_ROWS, shownChanges: SHOWN_CHANGES });
  }

  router.get(IMPORT_PATH, (_req, res) => {
    render(res, { report: null, error: null, noFile: false });
  });

  router.post(IMPORT_PATH, async (req, res) => {
    const actor = currentActor(req);
    const { dryRun } = parseInput(importForm, req.body);
    if (!req.file || req.file.size === 0) {
      res.status(400);
      render(res, { report: null, error: null, noFile: true });
      return;
    }
    try {
      const outcome = await deps.csv.importUsers(actor, decodeUtf8(req.file.buffer), { dryRun: dryRun !== undefined }, auditSubjectOf(actor, req.ip ?? null));
      if (outcome.failure && outcome.failure.status >= 500) deps.logger.error({ err: outcome.failure.cause }, 'customer-user import stopped');
      // Generated passwords are rendered into this one response and stored nowhere in clear.
      res.status(outcome.failure?.status ?? 200);
      render(res, { report: outcome.report, error: outcome.failure?.message ?? null, noFile: false });
    } catch (err) {
      // A file the import cannot read at all (not CSV, bad header, too many rows) is shown on the form.
      if (!(err instanceof LoketError) || (err.status !== 400 && err.status !== 413)) throw err;
      res.status(err.status);
      render(res, { report: null, error: err.message, noFile: false });
    }
  });

  return router;
}
