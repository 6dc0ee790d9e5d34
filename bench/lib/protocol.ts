/**
 * The line protocol between bench/run.ts and the server child processes: the child prints one JSON
 * `ready` line on stdout once it listens, then answers each `stats` line on stdin with a JSON `stats` line.
 * Nothing else may write to the child's stdout (Loket runs with logLevel 'silent').
 */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  /** The benchmark agent's credentials (Loket child only). */
  agent?: { login: string; password: string };
}

export interface StatsMessage {
  type: 'stats';
  /** V8 heap in use right after a full garbage collection (the child runs with --expose-gc). */
  heapUsedBytes: number;
  /** Rows in the session table (Loket child only). */
  sessions?: number;
}

export type ChildMessage = ReadyMessage | StatsMessage;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function parseChildMessage(line: string): ChildMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (value.type === 'ready' && typeof value.url === 'string') {
    const agent = value.agent;
    if (agent === undefined) return { type: 'ready', url: value.url };
    if (isObject(agent) && typeof agent.login === 'string' && typeof agent.password === 'string') {
      return { type: 'ready', url: value.url, agent: { login: agent.login, password: agent.password } };
    }
    return null;
  }
  if (value.type === 'stats' && typeof value.heapUsedBytes === 'number') {
    return typeof value.sessions === 'number'
      ? { type: 'stats', heapUsedBytes: value.heapUsedBytes, sessions: value.sessions }
      : { type: 'stats', heapUsedBytes: value.heapUsedBytes };
  }
  return null;
}

/** Child side: answer `stats` on stdin, stop on `stop` or when the parent goes away. */
export function serveControlChannel(stats: () => Promise<StatsMessage>, stop: () => Promise<void>): void {
  let buffer = '';
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`bench server: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const command = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (command === 'stats') {
        stats().then(
          (message) => process.stdout.write(`${JSON.stringify(message)}\n`),
          (err: unknown) => process.stderr.write(`bench server: stats failed: ${String(err)}\n`),
        );
      } else if (command === 'stop') {
        shutdown();
      }
      newline = buffer.indexOf('\n');
    }
  });
  process.stdin.on('end', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
