import { expect } from 'chai';
import { describeDatabase, parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { parseLoketOptions } from '../../plugin/config/schema.js';
import { hostSettingsFromEnv } from '../../plugin/config/env.js';
import { ConfigError } from '../../plugin/errors.js';

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('defaults to the SQLite file ./data/loket.db', () => {
    const target = parseDatabaseUrl(undefined);
    expect(target.dialect).to.equal('sqlite');
    expect(target.dialect === 'sqlite' && target.filename.endsWith('/data/loket.db')).to.equal(true);
  });

  it('reads sqlite and mysql URLs', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).to.deep.equal({ dialect: 'sqlite', filename: ':memory:' });
    expect(parseDatabaseUrl('mysql://loket:p%40ss@db.internal:3307/helpdesk')).to.deep.equal({
      dialect: 'mysql', host: 'db.internal', port: 3307, user: 'loket', password: 'p@ss', database: 'helpdesk',
    });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1/test')).to.include({ dialect: 'mysql', port: 3306, password: '' });
  });

  it('names DATABASE_URL for malformed URLs and never repeats the password', () => {
    for (const url of ['mysql://root:hunter2@/', 'mysql://root:hunter2@host/', 'pg://u:hunter2@h/d', '::::', 'sqlite:', 'mysql://u:hunter2@h/bad name']) {
      const err = configError(() => parseDatabaseUrl(url));
      expect(err.message, url).to.contain('DATABASE_URL');
      expect(err.message, url).to.not.contain('hunter2');
    }
    expect(describeDatabase(parseDatabaseUrl('mysql://u:hunter2@h/d'))).to.equal('mysql://u:***@h:3306/d');
  });

  it('fills defaults and names the setting of the first invalid option', () => {
    const config = parseLoketOptions({});
    expect(config.tablePrefix).to.equal('loket_');
    expect(config.session.idleMinutes).to.equal(480);
    expect(config.security.loginThrottlePerAccount).to.deep.equal({ limit: 5, windowMinutes: 15 });
    expect(configError(() => parseLoketOptions({ tablePrefix: 'Bad-Prefix' })).message).to.contain('tablePrefix');
    expect(configError(() => parseLoketOptions({ session: { secret: 'x' } })).message).to.contain('SESSION_SECRET');
    expect(configError(() => parseLoketOptions({ logLevel: 'chatty' })).message).to.contain('LOG_LEVEL');
    expect(configError(() => parseLoketOptions({ security: { bodyLimit: 'lots' } })).message).to.contain('security.bodyLimit');
  });

  it('takes the environment over the config file, and rejects a broken file by name', () => {
    const settings = hostSettingsFromEnv({ PORT: '8080', DATABASE_URL: 'sqlite::memory:', SESSION_SECRET: 's'.repeat(32), TRUST_PROXY: '1' });
    expect(settings.port).to.equal(8080);
    expect(settings.options.databaseUrl).to.equal('sqlite::memory:');
    expect(settings.options.session?.secret).to.equal('s'.repeat(32));
    expect(settings.options.security?.trustProxy).to.equal(1);
    expect(hostSettingsFromEnv({}).port).to.equal(3000);
    expect(configError(() => hostSettingsFromEnv({ PORT: '70000' })).message).to.contain('PORT');
    expect(configError(() => hostSettingsFromEnv({ LOKET_CONFIG: '/nonexistent/loket.json' })).message).to.contain('LOKET_CONFIG');
  });
});
