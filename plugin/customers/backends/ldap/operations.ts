import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ResultCodeError } from 'ldapts';
import type { Logger } from 'pino';
import type { Actor } from '../../../access/actor.js';
import { requireCapability } from '../../../access/policy.js';
import type { AuditService, AuditSubject } from '../../../audit/service.js';
import type { JobLeaseStore } from '../../../db/job-lease.js';
import { toDbTime } from '../../../db/values.js';
import { conflict, dependencyUnavailable, LoketError, notFound, ruleViolation } from '../../../errors.js';
import type { BackendList } from '../backend-list.js';
import { describeDirectoryError, testConnection } from './connection-test.js';
import { createDirectory, DirectoryUnavailable, type Directory } from './directory.js';
import type { ConnectionReport, PreviewReport, SyncProgress, SyncReport, SyncStatus } from './operation-types.js';
import { previewEntries } from './preview.js';
import type { LdapSettings } from './settings.js';
import { runSync, type SyncDeps } from './sync.js';

export interface DirectoryOpsDeps extends SyncDeps {
  backends: Pick<BackendList, 'directory'>;
  leases: JobLeaseStore;
  audit: AuditService;
  logger: Logger;
}

export interface SyncOptions {
  dryRun: boolean;
  force: boolean;
  /** Unsaved settings to dry-run with (the stored bind password when none is given); a real run always uses the saved ones. */
  settings?: LdapSettings | undefined;
}

export interface PreviewOptions {
  filter?: string | undefined;
  limit: number;
  settings?: LdapSettings | undefined;
}

/** What a sync lease row carries: the running (or last) run's progress and the last finished report. */
interface LeaseState {
  progress: SyncProgress | null;
  last: SyncReport | null;
}

const leaseName = (key: string) => `ldap-sync:${key}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The lease's JSON as we wrote it; anything else (a hand-edited row) reads as "nothing known". */
function stateOf(json: unknown): LeaseState {
  if (!isObject(json)) return { progress: null, last: null };
  return { progress: isObject(json.progress) ? (json.progress as unknown as SyncProgress) : null, last: isObject(json.last) ? (json.last as unknown as SyncReport) : null };
}

/** A directory's failure as the API and CLI answer it: unreachable → 503, an LDAP refusal → 422. */
function directoryError(key: string, err: unknown, secret: string | undefined): unknown {
  if (err instanceof DirectoryUnavailable) return dependencyUnavailable(`Directory ${key}: ${describeDirectoryError(err, secret)}`, err);
  if (err instanceof ResultCodeError) return ruleViolation(`Directory ${key}: ${describeDirectoryError(err, secret)}`, undefined, 'directory_error');
  return err;
}

/**
 * What admins do with a directory backend besides saving it: test the connection, preview real entries
 * through the map, and sync (dry or real) under a DB lease so two runs never overlap, on any node. The
 * screen and API pass an actor (admins only); the CLI uses the `…FromOperator` variants.
 */
export function createDirectoryOperations(deps: DirectoryOpsDeps) {
  const background = new Set<Promise<unknown>>();

  /** Stored settings, or unsaved ones to try (the stored bind password when none is given). */
  async function resolve(key: string, unsaved?: LdapSettings): Promise<{ settings: LdapSettings; directory: Directory }> {
    const stored = await deps.backends.directory(key);
    if (!unsaved) {
      if (!stored) throw notFound(`No directory backend ${key}.`);
      return { settings: stored.settings, directory: stored.directory };
    }
    const password = unsaved.bindPassword ?? stored?.settings.bindPassword;
    const settings: LdapSettings = { ...unsaved };
    if (password === undefined || password === '') delete settings.bindPassword;
    else settings.bindPassword = password;
    return { settings, directory: createDirectory(key, settings) };
  }

  async function testFromOperator(key: string, unsaved?: LdapSettings): Promise<ConnectionReport> {
    const { settings } = await resolve(key, unsaved);
    return testConnection(key, settings);
  }

  async function previewFromOperator(key: string, opts: PreviewOptions): Promise<PreviewReport> {
    const { settings, directory } = await resolve(key, opts.settings);
    try {
      return await previewEntries(deps, key, settings, directory, opts);
    } catch (err) {
      throw directoryError(key, err, settings.bindPassword);
    }
  }

  /** A held lease and what the run needs; the run itself is `execute`. */
  interface Started {
    key: string;
    holder: string;
    ttlMs: number;
    settings: LdapSettings;
    directory: Directory;
    options: SyncOptions;
    subject: AuditSubject;
    startedAt: string;
    last: SyncReport | null;
  }

  async function begin(key: string, options: SyncOptions, subject: AuditSubject): Promise<Started> {
    const { settings, directory } = await resolve(key, options.dryRun ? options.settings : undefined);
    const startedAt = toDbTime();
    const holder = `${hostname()}:${process.pid}:${randomUUID()}`.slice(0, 128);
    // Long enough for a page that waits on a slow directory; short enough that a crashed run frees it soon.
    const ttlMs = Math.max(60_000, settings.timeoutMs * 4);
    const { last } = stateOf((await deps.leases.read(leaseName(key)))?.progress);
    const progress = progressOf(key, options.dryRun, startedAt, { phase: 'users', entries: 0, counts: null });
    if (!(await deps.leases.acquire(leaseName(key), holder, ttlMs, { progress, last } satisfies LeaseState))) {
      throw conflict(`A sync of ${key} is running. Wait for it to finish.`, undefined, 'sync_running');
    }
    return { key, holder, ttlMs, settings, directory, options, subject, startedAt, last };
  }

  function progressOf(key: string, dryRun: boolean, startedAt: string, p: { phase: SyncProgress['phase']; entries: number; counts: SyncProgress['counts'] | null; error?: string }): SyncProgress {
    const counts = p.counts ?? { entries: 0, created: 0, updated: 0, unchanged: 0, reactivated: 0, deactivated: 0, conflicts: 0, skipped: 0, managersLinked: 0, groupGrantsAdded: 0, groupGrantsRemoved: 0 };
    return { backend: key, dryRun, phase: p.phase, entries: p.entries, counts: { ...counts }, startedAt, updatedAt: toDbTime(), error: p.error ?? null };
  }

  async function execute(run: Started, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
    const name = leaseName(run.key);
    let latest = progressOf(run.key, run.options.dryRun, run.startedAt, { phase: 'users', entries: 0, counts: null });
    let report: SyncReport;
    try {
      report = await runSync(deps, {
        key: run.key,
        settings: run.settings,
        directory: run.directory,
        dryRun: run.options.dryRun,
        force: run.options.force,
        startedAt: run.startedAt,
        onProgress: async (p) => {
          latest = progressOf(run.key, run.options.dryRun, run.startedAt, p);
          // A lost lease means another run took over after ours expired: stop before writing more.
          if (!(await deps.leases.renew(name, run.holder, run.ttlMs, { progress: latest, last: run.last } satisfies LeaseState))) {
            throw new Error(`The lease of the ${run.key} sync was lost; this run stops.`);
          }
          onProgress?.(latest);
        },
      });
    } catch (err) {
      const error = describeDirectoryError(err, run.settings.bindPassword);
      const failed = { ...latest, phase: 'failed' as const, updatedAt: toDbTime(), error };
      await deps.leases.release(name, run.holder, { progress: failed, last: run.last } satisfies LeaseState);
      if (!run.options.dryRun) {
        await deps.audit.record(run.subject, { action: 'ldap.sync', objectType: 'backend', objectId: run.key, after: { failed: error, counts: latest.counts } });
      }
      deps.logger.warn({ backend: run.key, error }, 'directory sync failed; nobody was deactivated');
      onProgress?.(failed);
      throw directoryError(run.key, err, run.settings.bindPassword);
    }
    const done = progressOf(run.key, run.options.dryRun, run.startedAt, { phase: 'done', entries: report.counts.entries, counts: report.counts });
    await deps.leases.release(name, run.holder, { progress: done, last: report } satisfies LeaseState);
    if (!run.options.dryRun) {
      const { counts, refused, lists, more } = report;
      await deps.audit.record(run.subject, { action: 'ldap.sync', objectType: 'backend', objectId: run.key, after: { counts, refused, lists, more } });
    }
    onProgress?.(done);
    return report;
  }

  async function syncFromOperator(key: string, options: SyncOptions, subject: AuditSubject, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
    return execute(await begin(key, options, subject), onProgress);
  }

  async function startFromOperator(key: string, options: SyncOptions, subject: AuditSubject): Promise<void> {
    const run = await begin(key, options, subject);
    const work = execute(run)
      .catch((err: unknown) => {
        // Already recorded as phase 'failed' in the lease; the screen shows it from there.
        if (!(err instanceof LoketError)) deps.logger.error({ err, backend: key }, 'background directory sync failed');
      })
      .finally(() => background.delete(work));
    background.add(work);
  }

  async function statusFromOperator(key: string): Promise<SyncStatus> {
    if (!(await deps.backends.directory(key))) throw notFound(`No directory backend ${key}.`);
    const lease = await deps.leases.read(leaseName(key));
    if (!lease) return { running: false, progress: null, last: null };
    const { progress, last } = stateOf(lease.progress);
    const finished = progress?.phase === 'done' || progress?.phase === 'failed';
    return { running: lease.held && !finished, progress, last };
  }

  const admin = (actor: Actor) => requireCapability(actor, 'field-map.manage');

  return {
    async test(actor: Actor, key: string, settings?: LdapSettings): Promise<ConnectionReport> {
      admin(actor);
      return testFromOperator(key, settings);
    },
    async preview(actor: Actor, key: string, opts: PreviewOptions): Promise<PreviewReport> {
      admin(actor);
      return previewFromOperator(key, opts);
    },
    /** Runs a sync to the end and answers its report (409 sync_running while another holds the lease). */
    async sync(actor: Actor, key: string, options: SyncOptions, subject: AuditSubject, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
      admin(actor);
      return syncFromOperator(key, options, subject, onProgress);
    },
    /** Takes the lease, then runs the sync in the background; resolves once the lease is held. */
    async startSync(actor: Actor, key: string, options: SyncOptions, subject: AuditSubject): Promise<void> {
      admin(actor);
      return startFromOperator(key, options, subject);
    },
    async status(actor: Actor, key: string): Promise<SyncStatus> {
      admin(actor);
      return statusFromOperator(key);
    },
    testFromOperator,
    previewFromOperator,
    syncFromOperator,
    statusFromOperator,
    /** Resolves when every background sync of this process has finished (for shutdown and tests). */
    async settle(): Promise<void> {
      while (background.size) await Promise.allSettled([...background]);
    },
  };
}

export type DirectoryOperations = ReturnType<typeof createDirectoryOperations>;
