// Exit codes a script can branch on. Documented in apps/cli/README.md; never renumbered.
export const EXIT = {
  /** Done; every check passed; the criteria say GO. */
  OK: 0,
  /** A preflight check failed, the criteria say NO-GO (or HOLD), or a notification channel failed. */
  FAILED: 1,
  /** Bad usage: an unknown command or option, a missing or malformed value. */
  USAGE: 2,
  /** The gateway could not be reached, timed out, or answered with a server error. */
  UNREACHABLE: 3,
  /** The admin token is missing or was refused (401/403). */
  AUTH: 4,
  /** The gateway refused the action as it stands (409): what blocks it is printed; `--override <reason>` passes. */
  BLOCKED: 5,
  /** The gateway refused the request (400/404): the message names the field. */
  REJECTED: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with its exit code and a message for the person at the terminal. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
    /** Printed under the message: what to do about it. */
    readonly hint?: string,
    /** For --json: the gateway's answer, as it came. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
