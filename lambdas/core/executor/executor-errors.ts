import { PipelineError } from '../errors.js';

export type ExecutorFailureKind =
  | 'spawn'
  | 'exit'
  | 'missing-output'
  | 'invalid-json'
  | 'invalid-output'
  | 'timeout'
  | 'aborted';

/**
 * An executor run that did not produce a valid output. Every failure keeps the tail of the
 * binary's stderr, for the operator (stored on the group, shown by the CLI and in logs).
 */
export class ExecutorFailure extends PipelineError {
  override readonly name: string = 'ExecutorFailure';
  readonly kind: ExecutorFailureKind;
  readonly stderrTail: string;

  constructor(kind: ExecutorFailureKind, message: string, stderrTail: string, cause?: unknown) {
    super(message, { ...(stderrTail === '' ? {} : { details: `stderr tail:\n${stderrTail}` }), cause });
    this.kind = kind;
    this.stderrTail = stderrTail;
  }
}

/**
 * The binary could not be started (not found, not executable). A bare name that is not found says
 * so with PATH, since a stage's `executor.command` names a file on the job's PATH.
 */
export class ExecutorSpawnError extends ExecutorFailure {
  override readonly name: string = 'ExecutorSpawnError';
  /**
   * The command is not there or not executable (`ENOENT`, `EACCES`): a configuration error that no
   * retry can fix, unlike a spawn that failed for want of resources (`EAGAIN`, `ENOMEM`).
   */
  readonly commandUnusable: boolean;

  constructor(command: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const bareNameNotFound = code === 'ENOENT' && !command.includes('/');
    const hint = bareNameNotFound ? ` (no executable "${command}" on PATH)` : '';
    super(
      'spawn',
      `executor "${command}" could not be started: ${(cause as Error).message}${hint}`,
      '',
      cause,
    );
    this.commandUnusable = code === 'ENOENT' || code === 'EACCES';
  }
}

/** The binary exited with a non-zero code or was killed by a signal it did not ask for. */
export class ExecutorExitError extends ExecutorFailure {
  override readonly name: string = 'ExecutorExitError';
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;

  constructor(command: string, exitCode: number | null, signal: NodeJS.Signals | null, stderrTail: string) {
    const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super('exit', `executor "${command}" ${how}`, stderrTail);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** Exit 0 but no output file. */
export class ExecutorOutputMissingError extends ExecutorFailure {
  override readonly name: string = 'ExecutorOutputMissingError';
  constructor(command: string, outputPath: string, stderrTail: string) {
    super(
      'missing-output',
      `executor "${command}" exited 0 but wrote no output at ${outputPath}`,
      stderrTail,
    );
  }
}

/** The output file is not JSON. */
export class ExecutorOutputNotJsonError extends ExecutorFailure {
  override readonly name: string = 'ExecutorOutputNotJsonError';
  constructor(command: string, detail: string, stderrTail: string) {
    super('invalid-json', `executor "${command}" wrote an output that is not JSON: ${detail}`, stderrTail);
  }
}

/** The output is JSON but does not match the program's output schema; `issues` name the paths. */
export class ExecutorOutputInvalidError extends ExecutorFailure {
  override readonly name: string = 'ExecutorOutputInvalidError';
  readonly issues: readonly string[];

  constructor(command: string, issues: readonly string[], stderrTail: string, cause?: unknown) {
    super(
      'invalid-output',
      `executor "${command}" wrote an invalid output: ${issues.join('; ')}`,
      stderrTail,
      cause,
    );
    this.issues = issues;
  }
}

/** The run exceeded its time limit and was terminated (SIGTERM, then SIGKILL). */
export class ExecutorTimeoutError extends ExecutorFailure {
  override readonly name: string = 'ExecutorTimeoutError';
  readonly timeoutMs: number;

  constructor(command: string, timeoutMs: number, stderrTail: string) {
    super('timeout', `executor "${command}" timed out after ${timeoutMs} ms and was terminated`, stderrTail);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted the run (e.g. the Batch job received SIGTERM). */
export class ExecutorAbortedError extends ExecutorFailure {
  override readonly name: string = 'ExecutorAbortedError';
  constructor(command: string, stderrTail: string) {
    super('aborted', `executor "${command}" was aborted by the caller`, stderrTail);
  }
}
