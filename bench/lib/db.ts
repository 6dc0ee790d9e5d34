import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { describeDatabase, parseDatabaseUrl } from '../../plugin/config/database-url.js';

/** A database the bench may fill and throw away: a temp SQLite folder, or random table prefixes in MariaDB. */
export interface BenchDatabase {
  name: 'SQLite' | 'MariaDB';
  /** Database URL without the password, for the report. */
  label: string;
  /** Server version, for the report. */
  version: string;
  /** The database server runs on this machine (its CPU time is then reported apart). */
  local: boolean;
  /** A database URL and table prefix nobody else uses; every call gives a new, empty one. */
  fresh(): { databaseUrl: string; tablePrefix: string };
  /** Removes everything `fresh` handed out. */
  cleanUp(): Promise<void>;
}

const newPrefix = (): string => `b${randomBytes(4).toString('hex')}_`;

export async function sqliteDatabase(): Promise<BenchDatabase> {
  const version = await sqliteVersion();
  const dir = mkdtempSync(join(tmpdir(), 'loket-bench-'));
  let n = 0;
  return {
    name: 'SQLite',
    label: `sqlite:${join(dir, 'bench-N.db')} (temp files)`,
    version,
    local: false,
    fresh() {
      n += 1;
      return { databaseUrl: `sqlite:${join(dir, `bench-${n}.db`)}`, tablePrefix: 'loket_' };
    },
    cleanUp() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** SQLite's library version as better-sqlite3 bundles it. */
async function sqliteVersion(): Promise<string> {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  try {
    const rows = await knex.raw<{ v: string }[]>('select sqlite_version() as v');
    return rows[0]?.v ?? '?';
  } finally {
    await knex.destroy();
  }
}

function mysqlKnex(url: string, connectTimeout: number): Knex {
  const target = parseDatabaseUrl(url, 'BENCH_DATABASE_URL');
  if (target.dialect !== 'mysql') throw new Error('BENCH_DATABASE_URL must be a mysql:// or mariadb:// URL');
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4',
      connectTimeout,
    },
    pool: { min: 1, max: 1 },
    acquireConnectionTimeout: connectTimeout,
  });
}

/** MariaDB at `url` when it answers within two seconds, else the reason it does not. */
export async function mariadbDatabase(url: string): Promise<BenchDatabase | { unreachable: string }> {
  let version: string;
  try {
    const knex = mysqlKnex(url, 2000);
    try {
      const [rows] = (await knex.raw('select version() as v')) as [{ v: string }[]];
      version = rows[0]?.v ?? '?';
    } finally {
      await knex.destroy();
    }
  } catch (err) {
    return { unreachable: err instanceof Error ? err.message : String(err) };
  }
  const prefixes = new Set<string>();
  const target = parseDatabaseUrl(url, 'BENCH_DATABASE_URL');
  const local = target.dialect === 'mysql' && ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(target.host);
  return {
    name: 'MariaDB',
    label: describeDatabase(target),
    version,
    local,
    fresh() {
      const tablePrefix = newPrefix();
      prefixes.add(tablePrefix);
      return { databaseUrl: url, tablePrefix };
    },
    /** Drops the bench's prefixed tables, as test/helpers/db.ts cleanUpDatabases does for tests. */
    async cleanUp() {
      if (prefixes.size === 0) return;
      const target = parseDatabaseUrl(url, 'BENCH_DATABASE_URL');
      if (target.dialect !== 'mysql') return;
      // One connection, so foreign_key_checks applies to the drops that follow it.
      const knex = mysqlKnex(url, 10_000);
      try {
        const [rows] = (await knex.raw('select table_name as name from information_schema.tables where table_schema = ?', [
          target.database,
        ])) as [{ name: string }[]];
        const ours = rows.map((r) => r.name).filter((name) => [...prefixes].some((p) => name.startsWith(p)));
        await knex.raw('set foreign_key_checks = 0');
        for (const name of ours) await knex.schema.dropTableIfExists(name);
        await knex.raw('set foreign_key_checks = 1');
        prefixes.clear();
      } finally {
        await knex.destroy();
      }
    },
  };
}

export interface OpenedDatabases {
  databases: BenchDatabase[];
  /** Report lines: MariaDB's version and address, or why it was skipped. */
  notes: string[];
  /** Removes everything the databases handed out; also runs on Ctrl-C (then the process exits 130). */
  cleanUp(): Promise<void>;
}

/** The databases named (`sqlite`, `mariadb`), in that order; MariaDB only when it answers. */
export async function openBenchDatabases(names: readonly string[], mariadbUrl: string, progress: (text: string) => void): Promise<OpenedDatabases> {
  const databases: BenchDatabase[] = [];
  const notes: string[] = [];
  const opened: BenchDatabase[] = [];
  const cleanUp = async () => {
    for (const db of opened.splice(0)) {
      try {
        await db.cleanUp();
      } catch (err) {
        progress(`cleaning up ${db.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  process.once('SIGINT', () => {
    progress('interrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });
  const use = (db: BenchDatabase) => {
    opened.push(db);
    databases.push(db);
  };
  if (names.includes('sqlite')) use(await sqliteDatabase());
  if (names.includes('mariadb')) {
    const maria = await mariadbDatabase(mariadbUrl);
    if ('unreachable' in maria) notes.push(`- MariaDB: not reachable (${maria.unreachable}); skipped`);
    else {
      use(maria);
      notes.push(`- MariaDB: ${maria.version} at \`${maria.label}\``);
    }
  }
  return { databases, notes, cleanUp };
}
