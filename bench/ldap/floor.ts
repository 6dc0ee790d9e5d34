/**
 * What the directory itself costs, measured with ldapts and no Loket code: a paged search of every
 * entry (the least a full sync has to wait for) and a login's directory steps (bind as the service
 * account, find the one entry, bind as it). Each login step opens its own connection, as Loket's
 * directory client does, so the difference to Loket's login is Loket's own work.
 */
import { AndFilter, Client, EqualityFilter, FilterParser } from 'ldapts';
import type { Slapd } from '../../test/helpers/slapd.js';

export interface PagedSearchRun {
  entries: number;
  pages: number;
  seconds: number;
}

export async function pagedSearchAll(slapd: Slapd, request: { base: string; filter: string; attributes: string[]; pageSize: number }): Promise<PagedSearchRun> {
  const client = new Client({ url: slapd.url });
  const started = performance.now();
  let entries = 0;
  let pages = 0;
  try {
    await client.bind(slapd.readerDn, slapd.readerPassword);
    // Entries are counted and dropped page by page, as a sync that writes each page before the next would.
    for await (const page of client.searchPaginated(request.base, { scope: 'sub', filter: request.filter, attributes: request.attributes, paged: { pageSize: request.pageSize } })) {
      entries += page.searchEntries.length;
      pages += 1;
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
  return { entries, pages, seconds: (performance.now() - started) / 1000 };
}

/** A login's directory work without Loket: true when the one entry was found and the bind as it succeeded. */
export function bareLogin(slapd: Slapd, settings: { base: string; filter: string; loginAttribute: string; attributes: string[] }) {
  const always = FilterParser.parseString(settings.filter);
  return async (login: string, password: string): Promise<boolean> => {
    const service = new Client({ url: slapd.url });
    let dn: string | undefined;
    try {
      await service.bind(slapd.readerDn, slapd.readerPassword);
      const filter = new AndFilter({ filters: [always, new EqualityFilter({ attribute: settings.loginAttribute, value: login })] });
      const { searchEntries } = await service.search(settings.base, { scope: 'sub', filter, attributes: settings.attributes, sizeLimit: 2 });
      if (searchEntries.length !== 1) return false;
      dn = searchEntries[0]!.dn;
    } finally {
      await service.unbind().catch(() => undefined);
    }
    const user = new Client({ url: slapd.url });
    try {
      await user.bind(dn, password);
      return true;
    } finally {
      await user.unbind().catch(() => undefined);
    }
  };
}
