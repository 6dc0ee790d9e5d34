import { cleanUpDatabases, onMysql } from './db.js';

process.stderr.write(`Integration suites run on ${onMysql ? 'MariaDB/MySQL (TEST_DATABASE_URL)' : 'SQLite'}.\n`);

after(async () => {
  await cleanUpDatabases();
});
