import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written after a successful build; dist/ is current when this is newer than every source. */
export const STAMP = join('dist', '.build-stamp');

/**
 * What the build compiles: plugin/ and migrations/ (views/ and public/ are read from source at run time),
 * plus the compiler settings. Folders count too, so deleting or renaming a source file also makes the
 * build stale.
 */
const SOURCES = ['plugin', 'migrations', 'tsconfig.json', 'tsconfig.build.json'];

/** Latest modification time (ms) of a file, or of a folder and everything below it. */
function newestMtime(path) {
  const stat = statSync(path);
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when `root`/dist holds a build at least as new as every source file. */
export function buildIsCurrent(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  for (const source of SOURCES) {
    const path = join(root, source);
    if (existsSync(path) && newestMtime(path) >= built) return false;
  }
  return true;
}
