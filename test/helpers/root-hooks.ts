import { cleanUpDatabases, onMysql } from './db.js';

process.stderr.write(`Integration suites run on ${onMysql ? 'MariaDB/MySQL (TEST_DATABASE_URL)' : 'SQLite'}.\n`);

after(async function () {
  // Dropping every test app's tables (about 50 per app, a hundred apps) is housekeeping, not a test: on a
  // busy MariaDB it can take longer than a test's timeout.
  this.timeout(600_000);
  await cleanUpDatabases();
});
