import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** The 1, 5 and 15 minute load averages, e.g. "1.19 / 1.22 / 1.54". */
export const loadAverage = (): string => loadavg().map((n) => n.toFixed(2)).join(' / ');

/** Date, CPU, RAM, Node and kernel, load average: the lines a benchmark report starts with (as bench/run.ts prints them). */
export function machineFacts(): string[] {
  let model = cpus()[0]?.model ?? '?';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // Not Linux: the model Node reports stands.
  }
  let nproc = String(cpus().length);
  let date = new Date().toUTCString();
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
    date = execFileSync('date', ['-u'], { encoding: 'utf8' }).trim();
  } catch {
    // Not on a system with coreutils: the Node figures above stand.
  }
  return [
    `- Date: ${date}`,
    `- CPU: ${model}, nproc ${nproc}`,
    `- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version}, Linux ${release()}`,
    `- Load average when the bench started (1/5/15 min): ${loadAverage()}`,
  ];
}
