import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Loket runs from source (tsx) and from dist/ (compiled). Both share views/, public/ and the
 * migrations, so every path is resolved from the package root rather than from this file.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Loket: package root not found above ${start}`);
    dir = parent;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const runningCompiled = import.meta.url.endsWith('.js');

export const packageRoot = findPackageRoot(here);
export const viewsDir = join(packageRoot, 'views');
export const publicDir = join(packageRoot, 'public');
export const localesDir = join(packageRoot, 'plugin', 'i18n', 'locales');
export const migrationsDir = runningCompiled
  ? join(packageRoot, 'dist', 'migrations')
  : join(packageRoot, 'migrations');
export const migrationExtension = runningCompiled ? '.js' : '.ts';
