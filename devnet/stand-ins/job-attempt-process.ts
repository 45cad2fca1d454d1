import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { signalGroup } from '../../batch-jobs/executor/run-child-process.js';
import { reapOnExit } from '../chains/child-process-reaper.js';
import type { LocalJob } from './local-job.js';

/** How to run one attempt of a job as a child process. */
export interface JobAttemptLaunch {
  readonly job: LocalJob;
  /** 0 for the first attempt (AWS_BATCH_JOB_ATTEMPT is one more). */
  readonly attemptIndex: number;
  /** argv of the job container. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Environment every job gets, under the job's containerOverrides environment. */
  readonly baseEnvironment: Record<string, string>;
  /** File receiving the attempt's stdout and stderr. */
  readonly logPath: string;
  /** Called once when the attempt ends: its exit code (null when it did not start or timed out) and Batch's status reason. */
  readonly onFinish: (exitCode: number | null, statusReason: string) => void;
}

/**
 * Starts a job attempt the way a Batch container runs: its own process group with the Batch
 * environment (AWS_BATCH_JOB_ID, AWS_BATCH_JOB_ATTEMPT, AWS_BATCH_JQ_NAME), output to the log file,
 * killed with its group when it exceeds the job's timeout.
 * @returns the child process (its pid is the process group id).
 */
export function spawnJobAttempt(launch: JobAttemptLaunch): ChildProcess {
  const { job, onFinish } = launch;
  const [executable, ...args] = launch.command;
  const log = createWriteStream(launch.logPath);
  const child = spawn(executable as string, args, {
    cwd: launch.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...launch.baseEnvironment,
      ...Object.fromEntries(job.environment.map((entry) => [entry.name, entry.value])),
      AWS_BATCH_JOB_ID: job.jobId,
      AWS_BATCH_JOB_ATTEMPT: String(launch.attemptIndex + 1),
      AWS_BATCH_JQ_NAME: job.jobQueue.slice(job.jobQueue.lastIndexOf('/') + 1),
      AWS_BATCH_CE_NAME: 'local',
    },
  });
  // Kill the job's process group if this process exits without stop() (a second Ctrl-C, a crash). On
  // SIGINT / SIGTERM a handler of this process (npm start) calls stop(), which puts the job back in the
  // queue; killing it here first would fail the attempt instead.
  const release = reapOnExit(child, { processGroup: true, deferToSignalHandlers: true });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid, 'SIGKILL');
  }, job.timeoutSeconds * 1000);
  child.on('error', (error) => {
    clearTimeout(timer);
    release();
    log.end();
    onFinish(null, `CannotStartContainerError: ${error.message}`);
  });
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    // Processes the entrypoint left in its group (a prover) go with it, as with a Batch container.
    signalGroup(child.pid, 'SIGKILL');
    release();
    log.end();
    if (timedOut) onFinish(null, 'Job attempt duration exceeded timeout');
    else if (code === 0) onFinish(0, 'Essential container in task exited');
    else onFinish(code, `Essential container in task exited (exit code ${code ?? signal})`);
  });
  return child;
}
