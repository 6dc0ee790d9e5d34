import { DatabaseUnreachableError } from '../db/health.js';
import { ConfigError } from '../errors.js';
import { start } from './server.js';

/** `npm start`: migrate, seed the demo into an empty database (not in production), serve, stop on SIGTERM. */
try {
  const running = await start({ demo: true });
  const shutdown = (signal: string) => {
    process.stderr.write(`Loket: ${signal} received, stopping\n`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DatabaseUnreachableError) {
    process.stderr.write(`Loket cannot start: ${err.message}\n`);
  } else {
    process.stderr.write(`Loket cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}
