import pino, { type Logger } from 'pino';

/** Anything that could carry a secret is censored before a log line is written. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'bindPassword',
  '*.bindPassword',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'databaseUrl',
  '*.databaseUrl',
  'smtp.url',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(level: string, parent?: Logger): Logger {
  if (parent) return parent.child({ component: 'loket' });
  return pino({ level, name: 'loket', redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
