import type { Address } from 'viem';
import { zeroHash } from 'viem';
import type { OracleState } from '../chain/oracle-reads.js';
import type { PipelineError } from '../core/errors.js';
import { OracleConfigMissingError, ProposerNotApprovedError } from './errors.js';
import type { ProposerWaitReason } from './proposer-wait.js';

/** Whether the oracle lets this signer propose now, and if not, what a person must do. */
export type OracleReadiness =
  | { readonly kind: 'ready' }
  /** Nothing can be sent: the run fails with `error` (the Lambda's Errors metric moves). */
  | { readonly kind: 'refused'; readonly reason: ProposerWaitReason; readonly error: PipelineError }
  /** Checkpoints are still served (proving goes on) but no proposal is sent until the mode is off. */
  | { readonly kind: 'proposals-paused'; readonly reason: ProposerWaitReason; readonly message: string };

/**
 * Reads what the oracle said at the start of a run as readiness: the signer not approved or the
 * config missing refuse the run; optimistic mode pauses proposals only (every validity proposal would
 * revert with "L2OutputOracle: optimistic mode is enabled").
 */
export function oracleReadiness(
  oracle: OracleState,
  parameters: { readonly signer: Address; readonly oracleAddress: Address; readonly configName: string },
): OracleReadiness {
  const { signer, oracleAddress, configName } = parameters;
  if (!oracle.proposerApproved)
    return {
      kind: 'refused',
      reason: 'not-approved',
      error: new ProposerNotApprovedError(
        `signer ${signer} is not an approved proposer of the oracle at ${oracleAddress}`,
        { details: `the oracle owner must call addProposer(${signer})` },
      ),
    };
  if (oracle.config.aggregationVkey === zeroHash)
    return {
      kind: 'refused',
      reason: 'config-missing',
      error: new OracleConfigMissingError(
        `the oracle at ${oracleAddress} has no config named "${configName}" (${oracle.configName})`,
        {
          details: 'set proposer.configName to a config the oracle holds, or add it with addOpSuccinctConfig',
        },
      ),
    };
  if (oracle.optimisticMode)
    return {
      kind: 'proposals-paused',
      reason: 'optimistic-mode',
      message:
        `the oracle at ${oracleAddress} is in optimistic mode, where validity proposals revert; proofs are ` +
        'still made and are proposed once the oracle owner calls disableOptimisticMode',
    };
  return { kind: 'ready' };
}
