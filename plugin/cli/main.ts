import { runCli } from './program.js';

/** The `loket` command (bin/loket.mjs loads this compiled or through tsx). */
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
