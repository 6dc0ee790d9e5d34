import type { Command } from 'commander';
import { start } from '../../host/server.js';
import type { CliContext } from '../program.js';

/** `loket serve`: the standalone host, as `npm start`, until SIGTERM or SIGINT. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the standalone server (migrates first; stops on SIGTERM/SIGINT)')
    .option('--demo', 'seed demo accounts into an empty database (never with NODE_ENV=production)')
    .action(async (opts: { demo?: boolean }) => {
      const running = await start({ env: ctx.io.env, demo: opts.demo === true, print: (text) => void ctx.io.stdout.write(text) });
      ctx.out(`Loket is listening on ${running.url}`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        const onSignal = (name: NodeJS.Signals) => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve(name);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      ctx.err(`loket: ${signal} received, stopping`);
      await running.stop();
    });
}
