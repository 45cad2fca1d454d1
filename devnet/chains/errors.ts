import { PipelineError } from '../../lambdas/core/errors.js';

/** The local chains harness could not start, seed or deploy something. */
export class DevChainError extends PipelineError {}
