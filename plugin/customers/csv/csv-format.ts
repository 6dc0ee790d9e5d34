import { parse, CsvError } from 'csv-parse/sync';
import { LoketError, validationError } from '../../errors.js';

/**
 * CSV as Loket writes and reads it: UTF-8 with a BOM (so Excel picks the right encoding), RFC 4180
 * quoting, CRLF line ends, and formula cells neutralised.
 *
 * Formula injection (SECURITY.md "CSV exports neutralise leading = + - @ TAB CR"): a spreadsheet runs a
 * cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)` leaks data, DDE runs
 * programs), and a leading TAB or CR can hide such a character from a naive check. Every exported cell
 * whose first character is one of these gets a single quote `'` in front, which spreadsheets show as
 * text. A value that already starts with quotes followed by one of them gets one more quote, so the
 * import can take exactly one quote off again and an export → import round-trips unchanged.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of neutraliseCell: one leading quote is dropped where the export would have added it. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * Lists of customer IDs in one cell, separated by `;`. A customer ID may itself contain `;` or `\`
 * (the ID schema allows them), so those are escaped with a backslash to keep the list unambiguous.
 */
export function joinList(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\;]/g, (c) => `\\${c}`)).join(';');
}

export function splitList(cell: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) current += cell[++i];
    else if (c === ';') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * Excel saves "CSV" with `;` where the decimal comma is used (Dutch and Norwegian settings), so the
 * header line decides: more semicolons than commas outside quotes means `;`. Header names are map keys,
 * which contain neither.
 */
export function detectDelimiter(text: string): ',' | ';' {
  const end = text.search(/\r|\n/);
  const header = (end === -1 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

export interface CsvTable {
  header: string[];
  /** Data rows with their spreadsheet row number (the header is row 1); blank rows are left out. */
  rows: { row: number; cells: string[] }[];
}

export const tooLarge = (message: string): LoketError => new LoketError({ status: 413, code: 'payload_too_large', message });

/** Decodes an upload strictly: a file in another encoding is refused, not read as mojibake. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    // ignoreBOM: false means the decoder drops a leading BOM, as Excel's "CSV UTF-8" writes one.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw validationError('The file is not UTF-8 text. Save it as "CSV UTF-8" and try again.', 'file');
  }
}

/**
 * Parses CSV text into a header and rows. More than `maxRows` data rows is a 413, malformed CSV a 400
 * naming the line. Row lengths are not checked here: a short row is that row's error, not the file's.
 */
export function parseCsv(text: string, maxRows: number): CsvTable {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      // One record beyond the cap is enough to know the file is too long, without parsing the rest.
      to: maxRows + 2,
    });
  } catch (err) {
    if (err instanceof CsvError) throw validationError(`The file is not valid CSV: ${err.message}`, 'file');
    throw err;
  }
  const [header, ...data] = records;
  if (!header || header.every((h) => h.trim() === '')) throw validationError('The file is empty: the first row must name the columns.', 'file');
  if (data.length > maxRows) throw tooLarge(`The file has more than ${maxRows} rows; split it into smaller files.`);
  const rows = data
    .map((cells, i) => ({ row: i + 2, cells }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  return { header: header.map((h) => h.trim()), rows };
}
