import { PipelineError } from '../core/errors.js';

/** The signer may not propose to this oracle: nothing can be sent until the owner approves it. */
export class ProposerNotApprovedError extends PipelineError {}

/** The oracle has no valid program config under the configured name. */
export class OracleConfigMissingError extends PipelineError {}
