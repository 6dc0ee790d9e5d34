import type { CpuShare } from './cpu.js';
import type { LoadSample } from './load.js';

export const mib = (bytes: number | null | undefined): string => (typeof bytes === 'number' ? `${(bytes / 1048576).toFixed(1)} MiB` : 'n/a');
export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const int = (value: number): string => Math.round(value).toString();

export const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Summary {
  /** Mean over the clean runs, or over all runs when none was clean. */
  requestsPerSecond: number;
  /** Every run's req/s, a noisy one marked with `*`. */
  perRound: string[];
  p50: number;
  p99: number;
  totalRequests: number;
  non2xx: number;
  /** e.g. "3xx 12, 5xx 3" or "" */
  statusBreakdown: string;
  errors: number;
  cpu: CpuShare | null;
}

export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} %`;

/** "other 1 %, steal 3 %" (plus the database server's share when measured). */
export const cpuText = (cpu: CpuShare | null): string =>
  cpu ? `other ${percent(cpu.other)}, steal ${percent(cpu.steal)}${cpu.db === null ? '' : `, DB ${percent(cpu.db)}`}` : 'n/a';

export function meanCpu(shares: (CpuShare | null)[]): CpuShare | null {
  if (shares.length === 0 || shares.some((s) => s === null)) return null;
  const all = shares as CpuShare[];
  const dbs = all.map((s) => s.db);
  return {
    other: mean(all.map((s) => s.other)),
    steal: mean(all.map((s) => s.steal)),
    db: dbs.some((d) => d === null) ? null : mean(dbs as number[]),
  };
}

/** Figures of a scenario's runs. Means use the clean runs only, unless every run was noisy. */
export function summarise(all: LoadSample[], isNoisy: (s: LoadSample) => boolean = () => false): Summary {
  const clean = all.filter((s) => !isNoisy(s));
  const samples = clean.length ? clean : all;
  const sum = (pick: (s: LoadSample) => number) => all.reduce((total, s) => total + pick(s), 0);
  const breakdown = (
    [
      ['3xx', sum((s) => s.status3xx)],
      ['4xx', sum((s) => s.status4xx)],
      ['5xx', sum((s) => s.status5xx)],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return {
    requestsPerSecond: mean(samples.map((s) => s.requestsPerSecond)),
    perRound: all.map((s) => `${int(s.requestsPerSecond)}${isNoisy(s) ? '*' : ''}`),
    p50: mean(samples.map((s) => s.p50)),
    p99: mean(samples.map((s) => s.p99)),
    totalRequests: sum((s) => s.totalRequests),
    non2xx: sum((s) => s.non2xx),
    statusBreakdown: breakdown,
    errors: sum((s) => s.errors),
    cpu: meanCpu(samples.map((s) => s.cpu)),
  };
}

export function scenarioRow(label: string, s: Summary, ratio: string): string[] {
  return [
    label,
    `${int(s.requestsPerSecond)} (${s.perRound.join(' / ')})`,
    ms(s.p50),
    ms(s.p99),
    s.statusBreakdown ? `${s.non2xx} (${s.statusBreakdown})` : String(s.non2xx),
    String(s.errors),
    cpuText(s.cpu),
    ratio,
  ];
}
