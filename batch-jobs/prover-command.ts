import { fileURLToPath } from 'node:url';
import type { ProgramName } from '../lambdas/core/executor/program-name.js';
import type { JobDescription } from './job-description.js';

/**
 * The argv prefix the entrypoint runs (the contract flags are appended): `PROVER_COMMAND` when set
 * (the SP1 prover binary in the GPU image), else the repo's mock prover for the program, run with
 * this Node and tsx (`batch-jobs/provers/<program>.ts`).
 */
export function proverCommand(job: Pick<JobDescription, 'program' | 'proverCommand'>): readonly string[] {
  if (job.proverCommand !== undefined) return job.proverCommand;
  return [process.execPath, '--import', import.meta.resolve('tsx'), mockProverPath(job.program)];
}

/** Path of the repo's mock prover of `program`. */
function mockProverPath(program: ProgramName): string {
  return fileURLToPath(new URL(`./provers/${program}.ts`, import.meta.url));
}
