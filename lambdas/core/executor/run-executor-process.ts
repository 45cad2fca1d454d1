import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../errors.js';
import {
  ExecutorAbortedError,
  ExecutorExitError,
  ExecutorOutputInvalidError,
  ExecutorOutputMissingError,
  ExecutorOutputNotJsonError,
  ExecutorSpawnError,
  ExecutorTimeoutError,
} from './executor-errors.js';
import {
  EXECUTOR_INPUT_FLAG,
  EXECUTOR_OUTPUT_FLAG,
  type ExecutorResult,
  type ProgramName,
  parseExecutorOutput,
} from './program-contracts.js';

/** Bytes of stderr kept for the operator. */
export const STDERR_TAIL_BYTES = 4096;

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
  const exit = await runChild(
    command,
    [...args, EXECUTOR_INPUT_FLAG, inputPath, EXECUTOR_OUTPUT_FLAG, outputPath],
    options,
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

interface ChildExit {
  readonly ended: 'exit' | 'timeout' | 'aborted';
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
}

function runChild(command: string, args: string[], options: RunExecutorProcessOptions): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ ended: 'aborted', code: null, signal: null, stderrTail: '' });
      return;
    }
    // Own process group, so a timeout also stops the prover's own children.
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', options.forwardOutput ? 'inherit' : 'ignore', 'pipe'],
      detached: true,
    });
    const tail = new StderrTail(STDERR_TAIL_BYTES);
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      if (options.forwardOutput) process.stderr.write(chunk);
    });
    let ended: ChildExit['ended'] = 'exit';
    let killTimer: NodeJS.Timeout | undefined;
    const terminate = (why: 'timeout' | 'aborted') => {
      if (ended !== 'exit') return;
      ended = why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? 5000);
    };
    const timer = setTimeout(() => terminate('timeout'), options.timeoutMs);
    const onAbort = () => terminate('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanup();
      reject(new ExecutorSpawnError(command, error));
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve({ ended, code, signal, stderrTail: tail.text() });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Keeps the last `limit` bytes of a stream. */
class StderrTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}
