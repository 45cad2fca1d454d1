import { PipelineError } from '../core/errors.js';

/** The signer may not propose to this oracle: nothing can be sent until the owner approves it. */
export class ProposerNotApprovedError extends PipelineError {
  override readonly name: string = 'ProposerNotApprovedError';
}

/** The oracle has no valid program config under the configured name. */
export class OracleConfigMissingError extends PipelineError {
  override readonly name: string = 'OracleConfigMissingError';
}

/**
 * A range's `l1Head` could not be looked up on L1 (the RPC failed, not a reorg): without it the
 * checkpoint floor is unknown, so no checkpoint is given this run; the next run tries again.
 */
export class L1FloorLookupError extends PipelineError {
  override readonly name: string = 'L1FloorLookupError';
}

/**
 * The oracle checks proofs with another SP1 verifier than the config names (`chains.l1.verifierAddress`):
 * the oracle or the config points at the wrong deployment.
 */
export class OracleVerifierMismatchError extends PipelineError {
  override readonly name: string = 'OracleVerifierMismatchError';
}

/**
 * The oracle's program config holds another rollup config hash than the one the programs prove with:
 * every proof would be refused (it is another chain's config, or the oracle config is outdated).
 */
export class OracleRollupConfigMismatchError extends PipelineError {
  override readonly name: string = 'OracleRollupConfigMismatchError';
}

/**
 * The oracle's program config holds another aggregation vkey or range vkey commitment than
 * `proposer.expectedVkeys`: the oracle was set up for other program builds, so every proof made
 * with ours would be refused.
 */
export class OracleVkeyMismatchError extends PipelineError {
  override readonly name: string = 'OracleVkeyMismatchError';
}

/**
 * The oracle has a dispute-game factory set: direct `proposeL2Output` calls revert (upstream wants
 * `dgfProposeL2Output`), which this proposer does not send.
 */
export class OracleDisputeGameFactoryError extends PipelineError {
  override readonly name: string = 'OracleDisputeGameFactoryError';
}
