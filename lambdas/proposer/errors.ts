import { PipelineError } from '../core/errors.js';

/** The signer may not propose to this oracle: nothing can be sent until the owner approves it. */
export class ProposerNotApprovedError extends PipelineError {}

/** The oracle has no valid program config under the configured name. */
export class OracleConfigMissingError extends PipelineError {}

/**
 * A range's `l1Head` could not be looked up on L1 (the RPC failed, not a reorg): without it the
 * checkpoint floor is unknown, so no checkpoint is given this run; the next run tries again.
 */
export class L1FloorLookupError extends PipelineError {}
