import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same payload always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface PayloadParts {
  formKey: string;
  version: number;
  target: { kind: string; id: string | number } | null;
  values: Record<string, string | boolean | null>;
}

/**
 * What an approval binds: the form and version, the target by kind and stored id, and the values.
 * SHA-256 hex of its canonical JSON; any change to one of them gives another hash.
 */
export const payloadHash = (parts: PayloadParts): string =>
  createHash('sha256').update(canonicalJson({ form: parts.formKey, version: parts.version, target: parts.target, values: parts.values })).digest('hex');
