import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';

/** The database the integration suites run on: TEST_DATABASE_URL (MariaDB in CI's second pass) or SQLite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? '';
export const onMysql = testDatabaseUrl.startsWith('mysql://') || testDatabaseUrl.startsWith('mariadb://');

const tempDirs: string[] = [];

export function tempDir(label = 'loket-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  tempDirs.push(dir);
  return dir;
}

/** A database nobody else uses: a new SQLite file, or a new random table prefix in the MariaDB test database. */
export function freshDatabase(): { databaseUrl: string; tablePrefix: string } {
  const tablePrefix = `t${randomBytes(4).toString('hex')}_`;
  if (onMysql) return { databaseUrl: testDatabaseUrl, tablePrefix };
  return { databaseUrl: `sqlite:${join(tempDir(), 'loket.db')}`, tablePrefix };
}

const usedPrefixes = new Set<string>();
export const rememberPrefix = (prefix: string): void => void usedPrefixes.add(prefix);

/** Drops every table a test run created in the shared MariaDB database, and removes temp folders. */
export async function cleanUpDatabases(): Promise<void> {
  if (onMysql && usedPrefixes.size > 0) {
    const target = parseDatabaseUrl(testDatabaseUrl);
    if (target.dialect !== 'mysql') return;
    // One connection, so foreign_key_checks applies to the drops that follow it.
    const knex = knexFactory({ client: 'mysql2', connection: { host: target.host, port: target.port, user: target.user, password: target.password, database: target.database, charset: 'utf8mb4' }, pool: { min: 1, max: 1 } });
    try {
      const [rows] = (await knex.raw('select table_name as name from information_schema.tables where table_schema = ?', [
        target.database,
      ])) as [{ name: string }[]];
      const ours = rows.map((r) => r.name).filter((name) => [...usedPrefixes].some((p) => name.startsWith(p)));
      await knex.raw('set foreign_key_checks = 0');
      for (const name of ours) await knex.schema.dropTableIfExists(name);
      await knex.raw('set foreign_key_checks = 1');
    } finally {
      await knex.destroy();
    }
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
