#!/usr/bin/env node
// `npm run prestart`: compiles plugin/ and migrations/ into dist/ unless dist/ is already current, then
// stamps the build (dist/.build-stamp) so the next start, and bin/loket.mjs, know it is up to date.
// `--force` builds even when current.
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, buildIsCurrent } from './build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv.includes('--force') || !buildIsCurrent(root)) {
  const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write('Loket: the build is missing or out of date and TypeScript is not installed (run npm install).\n');
    process.exit(1);
  }
  process.stdout.write('Building Loket…\n');
  // A clean dist/: compiled files of deleted sources (a removed migration!) must not survive a rebuild.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const result = spawnSync(tsc, ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) {
    process.stderr.write(`Loket: could not run tsc: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.stderr.write('Loket: the build failed.\n');
    process.exit(result.status ?? 1);
  }
  const stamp = join(root, STAMP);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
