/**
 * Exit codes of the `loket` command. Stable: scripts and deployment tooling branch on them.
 *
 * | Code | Name        | Meaning                                                                         |
 * |------|-------------|---------------------------------------------------------------------------------|
 * | 0    | ok          | Done (also `--help` and `--version`).                                           |
 * | 1    | failure     | Unexpected failure (a bug or an unforeseen error; LOG_LEVEL=debug shows the stack). |
 * | 2    | usage       | Usage error or invalid input: unknown command or option, missing required option, invalid value (validation). |
 * | 3    | conflict    | Already exists, e.g. `user create` with a login or e-mail address that is taken. |
 * | 4    | notFound    | Not found, e.g. `token create` for an unknown login.                            |
 * | 5    | config      | Configuration invalid (LOKET_CONFIG, DATABASE_URL, …) or database unreachable.  |
 * | 6    | refused     | Refused on purpose, e.g. `seed --demo` with NODE_ENV=production, a token for a disabled account. |
 * | 7    | integrity   | `audit verify` found the audit hash chain broken.                               |
 * | 8    | partial     | Done for the valid entries; some were invalid and left out (`kb import` lists them). |
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  conflict: 3,
  notFound: 4,
  config: 5,
  refused: 6,
  integrity: 7,
  partial: 8,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown by a command to stop with a chosen exit code and one line on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
