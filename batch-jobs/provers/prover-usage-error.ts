import { PipelineError } from '../../lambdas/core/errors.js';

/** The prover was invoked wrongly (missing flag, missing environment variable): exit code 2. */
export class ProverUsageError extends PipelineError {
  override readonly name: string = 'ProverUsageError';
}
