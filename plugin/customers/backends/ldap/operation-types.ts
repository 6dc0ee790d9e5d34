import type { FieldValue } from '../../field-map.js';
import type { CellWarning, EntryProblem } from './mapper.js';
import type { PlanAction } from './shadow-writer.js';

/** "Test connection": each step with its outcome, so an admin sees where it breaks (never the password). */
export interface ConnectionReport {
  ok: boolean;
  steps: { step: 'connect' | 'bind' | 'base' | 'users' | 'groups'; ok: boolean; detail: string; ms: number }[];
  /** Entries the always-filter finds below the base DN (counted up to `countedUpTo`), and groups found. */
  counts: { users: number; countedUpTo: number; groups: number | null } | null;
}

export interface PreviewCell {
  key: string;
  value: FieldValue;
  /** A link only when the row's link template gives an http(s), mailto or tel URL. */
  href: string | null;
  warnings: CellWarning[];
}

export interface PreviewRow {
  dn: string;
  login: string | null;
  customerId: string | null;
  cells: PreviewCell[];
  problems: EntryProblem[];
  /** What a sync would do with this entry. */
  action: PlanAction;
  reason: string | null;
}

export interface GroupPreviewRow {
  ldapGroupDn: string;
  group: string;
  permissions: string[];
  found: boolean;
  /** Logins of members that are (or would become) customer users; `members` counts all member values. */
  members: number;
  logins: string[];
}

export interface PreviewReport {
  columns: { key: string; label: string | null; storage: string }[];
  rows: PreviewRow[];
  /** Map rows whose attribute none of the previewed entries has (probably a typo). */
  warnings: CellWarning[];
  truncated: boolean;
  groups: GroupPreviewRow[];
}

export interface SyncCounts {
  entries: number;
  created: number;
  updated: number;
  unchanged: number;
  reactivated: number;
  deactivated: number;
  conflicts: number;
  skipped: number;
  managersLinked: number;
  groupGrantsAdded: number;
  groupGrantsRemoved: number;
}

export interface SyncReport {
  backend: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  counts: SyncCounts;
  /** Set when the run refused to write: deactivating more than the allowed share without --force. */
  refused: { reason: 'too-many-deactivations'; wouldDeactivate: number; validUsers: number; maxShare: number } | null;
  /** What changed (or would), each list capped at LIST_CAP items; `more` says how many were left out. */
  lists: {
    created: string[];
    updated: string[];
    reactivated: string[];
    deactivated: string[];
    conflicts: { dn: string; login: string | null; reason: string }[];
    skipped: { dn: string; reason: string }[];
  };
  more: Partial<Record<keyof SyncReport['lists'], number>>;
}

export interface SyncProgress {
  backend: string;
  dryRun: boolean;
  phase: 'users' | 'groups' | 'deactivations' | 'done' | 'failed';
  entries: number;
  counts: SyncCounts;
  startedAt: string;
  updatedAt: string;
  error: string | null;
}

/** What the screen shows: a run in progress (from the lease), or the last finished run's report. */
export interface SyncStatus {
  running: boolean;
  progress: SyncProgress | null;
  last: SyncReport | null;
}

export const LIST_CAP = 1000;
