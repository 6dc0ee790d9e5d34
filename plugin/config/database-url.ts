import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';

export type DatabaseTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string };

const HINT = 'expected sqlite:<file>, sqlite::memory: or mysql://user:password@host:port/database';

/**
 * Parses DATABASE_URL. Errors name the setting and never echo the URL, which may hold a password.
 */
export function parseDatabaseUrl(url: string | undefined, setting = 'DATABASE_URL'): DatabaseTarget {
  if (url === undefined || url.trim() === '') {
    return { dialect: 'sqlite', filename: resolve('data', 'loket.db') };
  }
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const rest = value.slice('sqlite:'.length).replace(/^\/\/(?=[./])/, '');
    if (rest === '') throw new ConfigError(setting, `the SQLite file name is missing (${HINT})`);
    return { dialect: 'sqlite', filename: rest === ':memory:' ? ':memory:' : resolve(rest) };
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(setting, `not a valid database URL (${HINT})`);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new ConfigError(setting, `unsupported scheme "${parsed.protocol.replace(/:$/, '')}" (${HINT})`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname) throw new ConfigError(setting, `the host is missing (${HINT})`);
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new ConfigError(setting, `the database name is missing or invalid (${HINT})`);
  }
  const port = parsed.port === '' ? 3306 : Number(parsed.port);
  return {
    dialect: 'mysql',
    host: parsed.hostname,
    port,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/** The URL with its password replaced, for logs and messages. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.dialect === 'sqlite'
    ? `sqlite:${target.filename}`
    : `mysql://${target.user}${target.password ? ':***' : ''}@${target.host}:${target.port}/${target.database}`;
}
