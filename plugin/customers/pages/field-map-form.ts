import { z } from 'zod';
import type { LoketError } from '../../errors.js';
import { COLUMN_OF } from '../backends/db/backend.js';
import { CORE_KEYS, isBuiltIn, type FieldMap, type FieldMapRow } from '../field-map.js';
import { parseInput } from '../../web/validate.js';
import { describeRefusal, type FormProblem, type Translate } from './form-errors.js';
import { formText } from './form-values.js';

/**
 * The field-map table as typed. Each row's controls are named `<property>.<key>` (map keys are plain
 * camelCase, so the names are unambiguous); the row for a new field uses `_new`, which no key can be.
 */
export const NEW_ROW = '_new';

export interface RowDraft {
  /** The key in the form's control names: the row's key, or NEW_ROW. */
  formKey: string;
  key: string;
  storage: string;
  label: string;
  shown: string;
  required: boolean;
  type: string;
  link: string;
  readOnly: boolean;
  search: boolean;
  options: string;
  maxLength: number | undefined;
  remove: boolean;
  isNew: boolean;
}

export const isCore = (key: string): boolean => (CORE_KEYS as readonly string[]).includes(key);

export const draftOf = (row: FieldMapRow): RowDraft => ({
  formKey: row.key,
  key: row.key,
  storage: row.storage,
  label: row.label ?? '',
  shown: String(row.shown),
  required: row.required,
  type: row.type,
  link: row.link ?? '',
  readOnly: row.readOnly,
  search: row.search,
  options: (row.options ?? []).join(', '),
  maxLength: row.maxLength,
  remove: false,
  isNew: false,
});

export const emptyNewRow = (): RowDraft => ({
  formKey: NEW_ROW, key: '', storage: '', label: '', shown: '1', required: false, type: 'var', link: '', readOnly: false, search: false, options: '', maxLength: undefined, remove: false, isNew: true,
});

const body = z.record(z.string(), formText(5000));

/** Reads the posted table over the map as stored now; a row the form did not carry stays as it is. */
export function draftsFromForm(map: FieldMap, input: unknown): RowDraft[] {
  const form = parseInput(body, input);
  const text = (name: string) => form[name] ?? '';
  const ticked = (name: string) => form[name] === '1';
  const drafts = map.map((row): RowDraft => {
    const k = row.key;
    if (form[`shown.${k}`] === undefined) return draftOf(row);
    return {
      ...draftOf(row),
      label: text(`label.${k}`),
      shown: text(`shown.${k}`),
      required: isCore(k) || ticked(`required.${k}`),
      type: text(`type.${k}`),
      link: text(`link.${k}`),
      readOnly: ticked(`readOnly.${k}`),
      search: ticked(`search.${k}`),
      options: text(`options.${k}`),
      remove: !isBuiltIn(k) && ticked(`remove.${k}`),
    };
  });
  const key = text(`key.${NEW_ROW}`).trim();
  return [
    ...drafts,
    {
      ...emptyNewRow(),
      key,
      // A custom field lives in the user's extra JSON, so adding one needs no migration.
      storage: isBuiltIn(key) ? (COLUMN_OF[key] ?? key) : `extra.${key}`,
      label: text(`label.${NEW_ROW}`),
      shown: text(`shown.${NEW_ROW}`) || '1',
      required: ticked(`required.${NEW_ROW}`),
      type: text(`type.${NEW_ROW}`) || 'var',
      link: text(`link.${NEW_ROW}`),
      readOnly: ticked(`readOnly.${NEW_ROW}`),
      search: ticked(`search.${NEW_ROW}`),
      options: text(`options.${NEW_ROW}`),
    },
  ];
}

/** The rows that go to the service, in the same order as their errors are numbered (`map.<i>.…`). */
export const submittedRows = (drafts: RowDraft[]): RowDraft[] => drafts.filter((d) => !d.remove && !(d.isNew && d.key === ''));

const optionsOf = (text: string): string[] => text.split(',').map((o) => o.trim()).filter((o) => o !== '');

/** One draft as the service's map row; shown and type stay as typed when they are not valid, so the service names them. */
export function rowInput(d: RowDraft): Record<string, unknown> {
  const options = optionsOf(d.options);
  return {
    key: d.key,
    storage: d.storage,
    ...(d.label.trim() !== '' && { label: d.label.trim() }),
    shown: /^[012]$/.test(d.shown) ? Number(d.shown) : d.shown,
    required: d.required,
    type: d.type,
    ...(d.link.trim() !== '' && { link: d.link.trim() }),
    readOnly: d.readOnly,
    search: d.search,
    ...(options.length > 0 && { options }),
    ...(d.maxLength !== undefined && { maxLength: d.maxLength }),
  };
}

const KEY_PATTERN = /^[a-z][A-Za-z0-9]{0,39}$/;

/** A refusal of the map (`map.<i>.<property>`) shown at that row's control. */
export function fieldMapProblem(err: LoketError, drafts: RowDraft[], t: Translate): FormProblem {
  const match = /^map\.(\d+)(?:\.(\w+))?/.exec(err.field ?? '');
  const sent = submittedRows(drafts);
  const draft = match ? sent[Number(match[1])] : undefined;
  if (!draft) return { field: null, target: null, message: describeRefusal(err, t, () => null) };
  const property = match?.[2] === 'storage' || match?.[2] === undefined ? (draft.isNew ? 'key' : 'label') : match[2];
  const others = drafts.filter((d) => d !== draft && !d.remove).map((d) => d.key);
  const message = describeRefusal(err, t, () => {
    if (property === 'key') {
      if (others.includes(draft.key)) return t('fieldMapPage.errors.keyTaken', { key: draft.key });
      return KEY_PATTERN.test(draft.key) ? t('fieldMapPage.errors.keyReserved', { key: draft.key }) : t('fieldMapPage.errors.keyPattern');
    }
    if (property === 'label') return t('fieldMapPage.errors.label');
    if (property === 'options') return t('fieldMapPage.errors.options');
    return null;
  });
  const field = `${property}.${draft.formKey}`;
  return { field, target: `fm-${draft.formKey}-${property}`, message };
}
