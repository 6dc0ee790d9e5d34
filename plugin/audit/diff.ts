export interface DiffLine {
  /** null when before/after are not objects and the whole value changed. */
  key: string | null;
  /** JSON text, or null when the key was absent on that side. */
  before: string | null;
  after: string | null;
}

/** A screen shows the start of a long value; the API has it whole. */
const MAX_SHOWN = 300;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// Stored JSON may carry a key like `__proto__`; reading it from the other side must not find the prototype.
const own = (obj: Record<string, unknown>, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

function shown(value: unknown): string | null {
  if (value === undefined) return null;
  const json = JSON.stringify(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}…` : json;
}

/** The keys whose values differ between an entry's before and after, for people to read. */
export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const absent = (v: unknown) => v === null || v === undefined;
  if ((isRecord(before) || absent(before)) && (isRecord(after) || absent(after))) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys
      .filter((key) => JSON.stringify(own(b, key)) !== JSON.stringify(own(a, key)))
      .map((key) => ({ key, before: shown(own(b, key)), after: shown(own(a, key)) }));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ key: null, before: shown(before ?? undefined), after: shown(after ?? undefined) }];
}
