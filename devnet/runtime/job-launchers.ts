import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../lambdas/core/errors.js';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';

/** The bundled programs a launcher can start. */
export interface LauncherTargets {
  /** `batch-jobs/provers/<program>.ts`, bundled, per program. */
  readonly provers: Readonly<Record<ProgramName, string>>;
  /** `batch-jobs/provers/mock-zkvm-prover.ts`, bundled. */
  readonly zkvmProver: string;
}

/** The launchers' file names: what a stage's `executor.command` names in the local run. */
export const JOB_LAUNCHERS = [
  'mock-range-prover',
  'mock-aggregate-prover',
  'mock-zkvm-prover',
  'binary-range-prover',
  'binary-aggregate-prover',
] as const;

/** A launcher's file name. */
export type JobLauncherName = (typeof JOB_LAUNCHERS)[number];

/** The launcher of `program`'s repo prover on the mock backend, e.g. `mock-range-prover`. */
export function mockProverLauncher(program: ProgramName): JobLauncherName {
  return `mock-${program}-prover`;
}

/** A path a launcher cannot carry: `ZKVM_PROVER_COMMAND` is split on whitespace. */
export class LauncherPathError extends PipelineError {}

/**
 * The `bin/` folder of the local job image: one executable sh script per launcher, each
 * `exec "<node>" "<bundle>" "$@"`. The `binary-*` launchers run the repo's prover with
 * `ZKVM_BACKEND=binary` and `ZKVM_PROVER_COMMAND="<node> <mock-zkvm-prover bundle>"`, so its host
 * crosses a real process boundary for each zkVM action (setup, execute, prove, verify), as a job
 * image's SP1 prover does. The local Batch stand-in puts this folder first on the jobs' PATH, as the
 * job image has `/opt/prover`, so a stage's `executor.command` names a launcher by its file name.
 * @throws LauncherPathError when `node` or the zkVM prover bundle lies under a path with whitespace.
 */
export function launcherScripts(
  targets: LauncherTargets,
  node = process.execPath,
): Record<JobLauncherName, string> {
  for (const [what, path] of [
    ['the Node executable', node],
    ['the mock-zkvm-prover bundle', targets.zkvmProver],
  ] as const) {
    if (/\s/.test(path)) {
      throw new LauncherPathError(
        `${what} lies at "${path}", a path with whitespace: ZKVM_PROVER_COMMAND is split on whitespace, so the binary-* launchers cannot name it`,
        { details: 'move the repository (or Node) to a path without spaces' },
      );
    }
  }
  const binary = { ZKVM_BACKEND: 'binary', ZKVM_PROVER_COMMAND: `${node} ${targets.zkvmProver}` };
  return {
    'mock-range-prover': script(node, targets.provers.range),
    'mock-aggregate-prover': script(node, targets.provers.aggregate),
    'mock-zkvm-prover': script(node, targets.zkvmProver),
    'binary-range-prover': script(node, targets.provers.range, binary),
    'binary-aggregate-prover': script(node, targets.provers.aggregate, binary),
  };
}

/**
 * Writes the launchers into `binDir` (mode 755) unless each already holds its script, so a cached
 * bundle folder picks up another Node executable. Returns `binDir`.
 */
export function writeLaunchers(binDir: string, scripts: Readonly<Record<JobLauncherName, string>>): string {
  mkdirSync(binDir, { recursive: true });
  for (const name of JOB_LAUNCHERS) {
    const path = join(binDir, name);
    if (existsSync(path) && readFileSync(path, 'utf8') === scripts[name]) continue;
    const temp = `${path}.${process.pid}`;
    writeFileSync(temp, scripts[name], { mode: 0o755 });
    chmodSync(temp, 0o755);
    // A rename replaces the file atomically: a job starting meanwhile runs the old or the new script.
    renameSync(temp, path);
  }
  return binDir;
}

function script(node: string, bundle: string, env: Readonly<Record<string, string>> = {}): string {
  const exports = Object.entries(env).map(([name, value]) => `export ${name}=${shellQuoted(value)}\n`);
  return `#!/bin/sh\n${exports.join('')}exec ${shellQuoted(node)} ${shellQuoted(bundle)} "$@"\n`;
}

/** `value` as one sh word: single-quoted, each `'` closed, escaped and reopened. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
