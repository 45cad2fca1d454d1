import { spawn } from 'node:child_process';

export interface BinaryRun {
  /** Exit code, or `signal SIGKILL` when killed (timeout). */
  readonly code: number | string;
  readonly stderr: string;
}

const STDERR_LIMIT = 16_384;

/** Runs a prover command with extra arguments; never rejects on a non-zero exit. */
export function runProverBinary(
  command: readonly string[],
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string },
): Promise<BinaryRun> {
  const [executable, ...leading] = command;
  if (executable === undefined) return Promise.reject(new Error('empty prover command'));
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [...leading, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: options.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? `signal ${signal}`, stderr: stderr.trim() });
    });
  });
}
