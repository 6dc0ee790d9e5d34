#!/usr/bin/env node
// The `loket` command. Runs the compiled CLI when dist/ holds a current build; in a development checkout
// (tsx installed) runs the TypeScript sources directly; otherwise asks for a build.
import process from 'node:process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from '../scripts/build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'plugin', 'cli', 'main.js');

function tsxInstalled() {
  try {
    createRequire(join(root, 'package.json')).resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

if (existsSync(compiled) && buildIsCurrent(root)) {
  await import(pathToFileURL(compiled).href);
} else if (tsxInstalled()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'plugin', 'cli', 'main.ts')).href);
} else {
  process.stderr.write('loket: the build in dist/ is missing or out of date: run npm run build first\n');
  process.exitCode = 1;
}
