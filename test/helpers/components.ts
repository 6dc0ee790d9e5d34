import type { Context } from 'mocha';

/**
 * Real components only (no mocks). Outside CI a missing component skips its suite with a loud message;
 * under CI=true it fails the run, so CI can never pass by skipping.
 */
export function needComponent(ctx: Context, name: string, available: boolean, howToGet: string): void {
  if (available) return;
  const message = `${name} is not available: ${howToGet}`;
  if (process.env.CI === 'true') throw new Error(`CI requires ${message}`);
  process.stderr.write(`\n  !!! SKIPPING ${ctx.currentTest?.parent?.fullTitle() ?? 'suite'}: ${message}\n\n`);
  ctx.skip();
}
