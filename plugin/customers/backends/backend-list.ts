import type { Logger } from 'pino';
import type { BackendSettingsStore, StoredBackend } from '../backend-settings-store.js';
import type { CustomerUserBackend } from './backend.js';
import type { DbBackend } from './db/backend.js';
import type { LdapBackend } from './ldap/backend.js';
import { ldapSettingsSchema, type LdapSettings } from './ldap/settings.js';

/**
 * The backends in their stored order. A directory backend is built once per saved version (its search
 * and login caches live as long as its settings do); settings that no longer parse are skipped and
 * logged rather than taking every login down.
 */
export function createBackendList(deps: {
  settings: BackendSettingsStore;
  db: DbBackend;
  makeLdap: (key: string, settings: LdapSettings) => LdapBackend;
  logger: Logger;
}) {
  const built = new Map<string, { version: number; backend: LdapBackend }>();

  function ldapOf(stored: StoredBackend): LdapBackend | null {
    const cached = built.get(stored.key);
    if (cached?.version === stored.version) return cached.backend;
    const parsed = ldapSettingsSchema.safeParse(stored.settings);
    if (!parsed.success) {
      deps.logger.error({ backend: stored.key, issue: parsed.error.issues[0]?.message }, 'directory backend settings are invalid; backend skipped');
      built.delete(stored.key);
      return null;
    }
    const backend = deps.makeLdap(stored.key, parsed.data);
    built.set(stored.key, { version: stored.version, backend });
    return backend;
  }

  async function all(): Promise<CustomerUserBackend[]> {
    const out: CustomerUserBackend[] = [];
    for (const stored of await deps.settings.list()) {
      if (stored.type === 'db') out.push(deps.db);
      else if (stored.type === 'ldap') {
        const backend = ldapOf(stored);
        if (backend) out.push(backend);
      }
    }
    return out;
  }

  return {
    all,
    async directories(): Promise<LdapBackend[]> {
      return (await all()).filter((b): b is LdapBackend => b.type === 'ldap');
    },
    async directory(key: string): Promise<LdapBackend | null> {
      const stored = await deps.settings.get(key);
      return stored?.type === 'ldap' ? ldapOf(stored) : null;
    },
  };
}

export type BackendList = ReturnType<typeof createBackendList>;
