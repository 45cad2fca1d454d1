import { spawn } from 'node:child_process';
import { ExecutorSpawnError } from '../../lambdas/core/executor/executor-errors.js';
import { RedactedOutput } from './redacted-output.js';

/** Bytes of stderr kept for the operator. */
export const STDERR_TAIL_BYTES = 4096;

export interface RunChildProcessOptions {
  /** Terminate the process group after this long (SIGTERM, then SIGKILL after `killGraceMs`). */
  readonly timeoutMs: number;
  /** Time between SIGTERM and SIGKILL on timeout or abort. @default 5000 */
  readonly killGraceMs?: number;
  /** Environment of the child. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Also copy the child's stdout and stderr to this process's (RPC URLs redacted). @default false */
  readonly forwardOutput?: boolean;
  /** Bytes of stderr to keep. @default STDERR_TAIL_BYTES */
  readonly stderrTailBytes?: number;
}

/** How a child process ended. `timeout` and `aborted` mean this runner terminated its process group. */
export interface ChildExit {
  readonly ended: 'exit' | 'timeout' | 'aborted';
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
}

/**
 * Runs `command args…` (no shell) in its own process group, keeping the tail of its stderr. RPC URLs
 * in the child's output (a prover prints its endpoints, with their secret paths and keys) are
 * redacted before anything is kept or copied: the tail ends up in the failure document and the copy
 * in CloudWatch. On timeout
 * or abort the whole group gets SIGTERM, then SIGKILL after the grace period, so a prover's own
 * children stop with it; the result says which ended it. Never rejects on a non-zero exit.
 *
 * @throws ExecutorSpawnError when the command cannot be started.
 * @example
 * const exit = await runChildProcess('sp1-prover', ['--input-path', p], { timeoutMs: 3_600_000 });
 * if (exit.ended === 'timeout') …
 */
export function runChildProcess(
  command: string,
  args: readonly string[],
  options: RunChildProcessOptions,
): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ ended: 'aborted', code: null, signal: null, stderrTail: '' });
      return;
    }
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', options.forwardOutput ? 'pipe' : 'ignore', 'pipe'],
      detached: true,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const tail = new StderrTail(options.stderrTailBytes ?? STDERR_TAIL_BYTES);
    const stderr = new RedactedOutput();
    const keepStderr = (text: string) => {
      if (text === '') return;
      tail.push(Buffer.from(text));
      if (options.forwardOutput) process.stderr.write(text);
    };
    child.stderr?.on('data', (chunk: Buffer) => keepStderr(stderr.push(chunk)));
    child.stderr?.on('end', () => keepStderr(stderr.end()));
    const stdout = new RedactedOutput();
    const forwardStdout = (text: string) => {
      if (text !== '') process.stdout.write(text);
    };
    child.stdout?.on('data', (chunk: Buffer) => forwardStdout(stdout.push(chunk)));
    child.stdout?.on('end', () => forwardStdout(stdout.end()));
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

/**
 * Sends `signal` to the process group led by `pid` (the child was spawned `detached`), falling back
 * to the process itself when there is no such group; a process already gone is ignored.
 */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
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
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}
