import { Client, InvalidCredentialsError, SizeLimitExceededError, type Entry, type SearchOptions } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import type { LdapSettings } from './settings.js';

/** The directory could not be reached or did not answer in time: the caller says "temporarily unavailable". */
export class DirectoryUnavailable extends Error {
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`Directory ${backend} is unavailable: ${reason}`);
    this.name = 'DirectoryUnavailable';
  }
}

/** An entry with lower-cased attribute names and every value as an array (strings, or Buffers for binary). */
export interface DirectoryEntry {
  dn: string;
  attributes: Record<string, (string | Buffer)[]>;
}

/** Attributes that are binary by definition; asked for as Buffers so they never turn into mojibake. */
export const BINARY_ATTRIBUTES = ['jpegPhoto', 'objectGUID', 'objectSid', 'userCertificate', 'thumbnailPhoto', 'photo', 'audio'];

export interface SearchRequest {
  base: string;
  filter: string;
  scope: 'base' | 'one' | 'sub';
  attributes: string[];
  /** 0: no limit. */
  sizeLimit: number;
  pageSize: number;
}

export interface DirectorySession {
  /** Every entry (or up to sizeLimit); `truncated` says the size limit cut it. */
  search(request: SearchRequest): Promise<{ entries: DirectoryEntry[]; truncated: boolean }>;
  /** Page by page, for a sync: a page is handled before the next is asked for. */
  searchPages(request: SearchRequest, onPage: (entries: DirectoryEntry[]) => Promise<void>): Promise<void>;
}

type Settings = Pick<LdapSettings, 'url' | 'startTls' | 'tlsCa' | 'tlsRejectUnauthorized' | 'bindDn' | 'bindPassword' | 'timeoutMs'>;

export function normaliseEntry(entry: Entry): DirectoryEntry {
  const attributes: Record<string, (string | Buffer)[]> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn') continue;
    const values = Array.isArray(value) ? value : [value];
    attributes[name.toLowerCase()] = values;
  }
  return { dn: entry.dn, attributes };
}

const isConnectionProblem = (err: unknown): boolean => {
  if (err instanceof InvalidCredentialsError) return false;
  const text = err instanceof Error ? `${err.name} ${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}` : String(err);
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|timeout|timed out|socket|closed|TLS|certificate|self.signed|EPIPE/i.test(text);
};

/**
 * The ldapts client for one backend: tries the URLs in order (failover), upgrades with StartTLS when
 * asked, and bounds every connect and operation by the backend's timeout, so a directory that never
 * answers costs at most that long per URL. Binds are never logged with their password.
 */
export function createDirectory(backend: string, settings: Settings) {
  const tlsOptions = (): ConnectionOptions => ({
    rejectUnauthorized: settings.tlsRejectUnauthorized,
    ...(settings.tlsCa ? { ca: [settings.tlsCa] } : {}),
  });

  async function connect(bind: { dn: string; password: string } | null): Promise<Client> {
    let lastProblem = 'no URL';
    for (const url of settings.url) {
      // ldapts goes TLS from the first byte whenever tlsOptions are given, so only ldaps:// gets them here.
      const secure = url.startsWith('ldaps:');
      const client = new Client({ url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, strictDN: false, ...(secure ? { tlsOptions: tlsOptions() } : {}) });
      try {
        if (settings.startTls && url.startsWith('ldap:')) await client.startTLS(tlsOptions());
        if (bind) await client.bind(bind.dn, bind.password);
        return client;
      } catch (err) {
        await client.unbind().catch(() => undefined);
        if (!isConnectionProblem(err)) throw err;
        lastProblem = `${url}: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    throw new DirectoryUnavailable(backend, lastProblem);
  }

  const serviceBind = () => (settings.bindDn ? { dn: settings.bindDn, password: settings.bindPassword ?? '' } : null);

  function optionsOf(request: SearchRequest, paged: boolean): SearchOptions {
    const wanted = new Set(request.attributes.map((a) => a.toLowerCase()));
    return {
      scope: request.scope,
      filter: request.filter,
      attributes: request.attributes,
      sizeLimit: request.sizeLimit,
      timeLimit: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
      explicitBufferAttributes: BINARY_ATTRIBUTES.filter((a) => wanted.has(a.toLowerCase()) || wanted.has('*')),
      ...(paged ? { paged: { pageSize: request.pageSize } } : {}),
    };
  }

  const session = (client: Client): DirectorySession => ({
    async search(request) {
      const paged = request.sizeLimit === 0 || request.sizeLimit > request.pageSize;
      try {
        const { searchEntries } = await client.search(request.base, optionsOf(request, paged));
        const entries = searchEntries.map(normaliseEntry);
        return { entries, truncated: request.sizeLimit > 0 && entries.length >= request.sizeLimit };
      } catch (err) {
        if (err instanceof SizeLimitExceededError) return { entries: [], truncated: true };
        throw translate(err);
      }
    },
    async searchPages(request, onPage) {
      try {
        for await (const page of client.searchPaginated(request.base, optionsOf({ ...request, sizeLimit: 0 }, true))) {
          await onPage(page.searchEntries.map(normaliseEntry));
        }
      } catch (err) {
        throw translate(err);
      }
    },
  });

  const translate = (err: unknown): unknown => (isConnectionProblem(err) ? new DirectoryUnavailable(backend, err instanceof Error ? err.message : String(err)) : err);

  return {
    /** Binds as the service account (or anonymously), runs `work`, always unbinds. */
    async withSession<T>(work: (session: DirectorySession) => Promise<T>): Promise<T> {
      const client = await connect(serviceBind());
      try {
        return await work(session(client));
      } finally {
        await client.unbind().catch(() => undefined);
      }
    },

    /**
     * A simple bind as `dn` with `password`: true on success, false on wrong credentials. The caller
     * refuses empty passwords before this (an empty simple bind is an unauthenticated bind, RFC 4513 §5.1.2).
     */
    async checkPassword(dn: string, password: string): Promise<boolean> {
      if (password === '') return false;
      let client: Client;
      try {
        client = await connect({ dn, password });
      } catch (err) {
        if (err instanceof InvalidCredentialsError) return false;
        throw translate(err);
      }
      await client.unbind().catch(() => undefined);
      return true;
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
