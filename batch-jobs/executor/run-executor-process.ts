import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../../lambdas/core/errors.js';
import {
  ExecutorAbortedError,
  ExecutorExitError,
  ExecutorOutputInvalidError,
  ExecutorOutputMissingError,
  ExecutorOutputNotJsonError,
  ExecutorSpawnError,
  ExecutorTimeoutError,
} from '../../lambdas/core/executor/executor-errors.js';
import {
  EXECUTOR_INPUT_FLAG,
  EXECUTOR_OUTPUT_FLAG,
  type ExecutorResult,
  parseExecutorOutput,
} from '../../lambdas/core/executor/program-contracts.js';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';

import { runChildProcess } from './run-child-process.js';

export interface RunExecutorProcessOptions {
  /** Command and leading arguments; the contract flags are appended. No shell is involved. */
  readonly argv: readonly string[];
  /** Program whose output schema the result must match. */
  readonly program: ProgramName;
  /** The input document, written to `in.json`. */
  readonly input: unknown;
  readonly timeoutMs: number;
  /** Time between SIGTERM and SIGKILL on timeout or abort. @default 5000 */
  readonly killGraceMs?: number;
  /** Environment of the child; @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Also copy the child's stdout and stderr to this process's (Batch: into CloudWatch). @default false */
  readonly forwardOutput?: boolean;
  /** Directory for in.json / out.json; @default a fresh temporary directory, removed afterwards. */
  readonly workDir?: string;
}

export interface ExecutorRunResult {
  /** Validated results (an array output fans out into several). */
  readonly results: ExecutorResult[];
  /** The output document as written. */
  readonly raw: unknown;
  readonly stderrTail: string;
  readonly durationMs: number;
}

/**
 * Runs an executor binary under the JSON contract:
 * `<argv...> --input-path <dir>/in.json --output-path <dir>/out.json`, exit 0 on success.
 *
 * @throws ExecutorFailure subclasses: ExecutorSpawnError, ExecutorExitError (non-zero exit),
 * ExecutorOutputMissingError, ExecutorOutputNotJsonError, ExecutorOutputInvalidError (naming the
 * schema path), ExecutorTimeoutError, ExecutorAbortedError; each carries the stderr tail.
 *
 * @example
 * const { results } = await runExecutorProcess({ argv: ['/usr/local/bin/sp1-prover'], program: 'range', input, timeoutMs: 3_600_000 });
 */
export async function runExecutorProcess(options: RunExecutorProcessOptions): Promise<ExecutorRunResult> {
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'executor-')));
  try {
    return await runIn(workDir, options);
  } finally {
    if (options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
  }
}

async function runIn(workDir: string, options: RunExecutorProcessOptions): Promise<ExecutorRunResult> {
  const [command, ...args] = options.argv;
  if (command === undefined) throw new ExecutorSpawnError('(empty argv)', new Error('argv is empty'));
  const inputPath = join(workDir, 'in.json');
  const outputPath = join(workDir, 'out.json');
  await writeFile(inputPath, JSON.stringify(options.input));
  await rm(outputPath, { force: true });
  const started = Date.now();
  const exit = await runChildProcess(
    command,
    [...args, EXECUTOR_INPUT_FLAG, inputPath, EXECUTOR_OUTPUT_FLAG, outputPath],
    {
      timeoutMs: options.timeoutMs,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.forwardOutput === undefined ? {} : { forwardOutput: options.forwardOutput }),
    },
  );
  const stderrTail = exit.stderrTail;
  if (exit.ended === 'timeout') throw new ExecutorTimeoutError(command, options.timeoutMs, stderrTail);
  if (exit.ended === 'aborted') throw new ExecutorAbortedError(command, stderrTail);
  if (exit.code !== 0) throw new ExecutorExitError(command, exit.code, exit.signal, stderrTail);
  let text: string;
  try {
    text = await readFile(outputPath, 'utf8');
  } catch {
    throw new ExecutorOutputMissingError(command, outputPath, stderrTail);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ExecutorOutputNotJsonError(command, (error as Error).message, stderrTail);
  }
  try {
    const results = parseExecutorOutput(options.program, raw);
    return { results, raw, stderrTail, durationMs: Date.now() - started };
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new ExecutorOutputInvalidError(command, error.issues, stderrTail, error);
    throw error;
  }
}
