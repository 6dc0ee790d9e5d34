/**
 * A whole number from a command-line flag, else from an environment variable, else the default; `_`
 * may group digits (`100_000`). Anything else, or less than `min`, is an error naming the option.
 */
export function wholeNumber(flag: string | undefined, env: string | undefined, fallback: number, name: string, min = 0): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${raw}`);
  return value;
}

/** A comma list of database names (`sqlite,mariadb`), lower case. */
export const databaseNames = (flag: string | undefined, env: string | undefined): string[] =>
  (flag ?? env ?? 'sqlite,mariadb').split(',').map((s) => s.trim().toLowerCase());
