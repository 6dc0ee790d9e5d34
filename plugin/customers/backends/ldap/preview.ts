import { AndFilter, FilterParser, ResultCodeError } from 'ldapts';
import { validationError } from '../../../errors.js';
import { linkFor } from '../../field-map.js';
import type { Directory, DirectoryEntry, DirectorySession } from './directory.js';
import { groupMembers } from './group-sync.js';
import { mapEntry, normaliseDn, unknownAttributes, type MappedEntry } from './mapper.js';
import { LIST_CAP, type GroupPreviewRow, type PreviewReport, type PreviewRow } from './operation-types.js';
import { ldapFilterSchema, mappedAttributes, type LdapSettings } from './settings.js';
import type { ShadowStore } from './shadow-store.js';
import type { ShadowWriter } from './shadow-writer.js';

export const PREVIEW_MAX = 200;

/** Thrown from a page callback once enough entries are in. */
class Enough extends Error {
  constructor() {
    super('enough entries');
    this.name = 'Enough';
  }
}

/** The first `max` entries of a paged search (paged, so a server size limit like AD's never cuts it short). */
async function firstEntries(session: DirectorySession, request: { base: string; scope: LdapSettings['scope']; filter: string; attributes: string[]; pageSize: number }, max: number): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  try {
    await session.searchPages({ ...request, sizeLimit: 0, pageSize: Math.min(request.pageSize, max) }, (page) => {
      entries.push(...page);
      if (entries.length >= max) throw new Enough();
      return Promise.resolve();
    });
  } catch (err) {
    if (!(err instanceof Enough)) throw err;
  }
  return entries.slice(0, max);
}

/** The always-filter AND the admin's extra filter, combined as filter objects (never pasted as text). */
export function previewFilter(alwaysFilter: string, extra: string | undefined): string {
  const always = FilterParser.parseString(alwaysFilter);
  if (extra === undefined || extra.trim() === '') return always.toString();
  const parsed = ldapFilterSchema.safeParse(extra);
  if (!parsed.success) throw validationError(`filter: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'filter');
  return new AndFilter({ filters: [always, FilterParser.parseString(parsed.data)] }).toString();
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX) throw validationError(`limit: a whole number from 1 to ${PREVIEW_MAX}`, 'limit');
  return limit;
}

/** A member's own entry if the always-filter admits it; a member DN that does not exist is no user. */
async function memberEntry(session: DirectorySession, settings: LdapSettings, dn: string): Promise<DirectoryEntry | null> {
  try {
    const [entry] = await firstEntries(session, { base: dn, scope: 'base', filter: previewFilter(settings.filter, undefined), attributes: mappedAttributes(settings), pageSize: 1 }, 1);
    return entry ?? null;
  } catch (err) {
    if (err instanceof ResultCodeError) return null;
    throw err;
  }
}

/**
 * Each mapped LDAP group: found or not, its member count and the logins of members that are customer
 * users of this backend (shadow rows) or would become one (their entry maps without problems; looked
 * up for at most `lookups` members per group, so a huge group costs a bounded number of searches).
 */
async function previewGroups(session: DirectorySession, deps: { shadows: ShadowStore }, key: string, settings: LdapSettings, lookups: number): Promise<GroupPreviewRow[]> {
  const rows: GroupPreviewRow[] = [];
  for (const row of settings.groupMapping) {
    const members = await groupMembers(session, settings, row.ldapGroupDn);
    const logins = new Set<string>();
    if (members) {
      const shadowed = await deps.shadows.byDns(key, members);
      shadowed.forEach((s) => logins.add(s.login));
      const known = new Set(shadowed.map((s) => s.dn));
      // A sync only ever sees entries below the base DN; members elsewhere never become users.
      const base = normaliseDn(settings.baseDn);
      const candidates = members.filter((m) => !known.has(m) && (m === base || m.endsWith(`,${base}`)));
      for (const dn of candidates.slice(0, lookups)) {
        const entry = await memberEntry(session, settings, dn);
        const mapped = entry ? mapEntry(entry, settings) : null;
        if (mapped && !mapped.problems.length) logins.add(mapped.login!);
      }
    }
    rows.push({ ...row, found: members !== null, members: members?.length ?? 0, logins: [...logins].sort().slice(0, LIST_CAP) });
  }
  return rows;
}

/**
 * The first N real entries through the map, as the screen shows them: each cell with its value, a link
 * only where the template gives a safe URL, and the mapper's warnings; each row with what a sync would
 * do (planned against the shadow rows, nothing written). Binary values become warnings, never crashes.
 */
export async function previewEntries(
  deps: { shadows: ShadowStore; writer: ShadowWriter },
  key: string,
  settings: LdapSettings,
  directory: Directory,
  opts: { filter?: string | undefined; limit: number },
): Promise<PreviewReport> {
  const limit = checkLimit(opts.limit);
  const filter = previewFilter(settings.filter, opts.filter);
  const { entries, groups } = await directory.withSession(async (session) => {
    const found = await firstEntries(session, { base: settings.baseDn, scope: settings.scope, filter, attributes: mappedAttributes(settings), pageSize: settings.pageSize }, limit + 1);
    return { entries: found, groups: await previewGroups(session, deps, key, settings, limit) };
  });
  const shown = entries.slice(0, limit);
  const mapped = shown.map((e) => mapEntry(e, settings));
  const plans = await deps.writer.plan(key, mapped, { claimed: new Map() });
  const rowOf = (entry: MappedEntry, i: number): PreviewRow => ({
    dn: entry.dn,
    login: entry.login,
    customerId: entry.customerId,
    cells: settings.map.map((row) => ({
      key: row.key,
      value: entry.fields[row.key] ?? null,
      href: linkFor(row, entry.fields),
      warnings: entry.warnings.filter((w) => w.key === row.key),
    })),
    problems: entry.problems,
    action: plans[i]!.action,
    reason: plans[i]!.reason ?? null,
  });
  return {
    columns: settings.map.map((row) => ({ key: row.key, label: row.label ?? null, storage: row.storage })),
    rows: mapped.map(rowOf),
    warnings: unknownAttributes(shown, settings),
    truncated: entries.length > limit,
    groups,
  };
}
