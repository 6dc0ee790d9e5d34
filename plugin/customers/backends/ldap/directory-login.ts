import type { Logger } from 'pino';
import type { CustomerUserRecord } from '../backend.js';
import type { CustomerUserStore } from '../db/store.js';
import type { LdapBackend } from './backend.js';
import { DirectoryUnavailable } from './directory.js';

/**
 * Portal login against the directory backends, in their order. A login that belongs to a database user
 * never reaches a directory (a wrong local password stays "invalid", and a directory with the same uid
 * cannot take the account over). A directory that is down is skipped while later ones are asked; when
 * nobody answered yes and one was down, the person hears "temporarily unavailable", not "invalid".
 */
export function createDirectoryLogin(deps: { backends: () => Promise<LdapBackend[]>; users: Pick<CustomerUserStore, 'findByLogin' | 'recordLogin'>; logger: Logger }) {
  return {
    async verify(login: string, password: string): Promise<CustomerUserRecord | null> {
      const key = login.trim().toLowerCase();
      const backends = await deps.backends();
      if (!backends.length || password === '') return null;
      const local = await deps.users.findByLogin(key);
      if (local && !backends.some((b) => b.key === local.source)) return null;
      let unavailable: DirectoryUnavailable | null = null;
      for (const backend of backends) {
        if (local && local.source !== backend.key) continue;
        let result;
        try {
          result = await backend.authenticate(key, password);
        } catch (err) {
          if (!(err instanceof DirectoryUnavailable)) throw err;
          deps.logger.warn({ backend: backend.key, reason: err.reason }, 'directory unavailable at login');
          unavailable = err;
          continue;
        }
        if (result.ok) {
          await deps.users.recordLogin(result.user.id);
          return result.user;
        }
        if (result.refusal === 'no-match') continue;
        // Several matches, a conflict or an unusable entry is the directory's problem to fix: logged, never guessed.
        const level = result.refusal === 'wrong-password' || result.refusal === 'invalid-in-loket' ? 'info' : 'warn';
        deps.logger[level]({ backend: backend.key, login: key.slice(0, 191), refusal: result.refusal, detail: result.detail }, 'directory login refused');
        return null;
      }
      if (unavailable) throw unavailable;
      return null;
    },
  };
}

export type DirectoryLogin = ReturnType<typeof createDirectoryLogin>;
