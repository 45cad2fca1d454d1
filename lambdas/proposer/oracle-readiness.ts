import type { Address, Hex } from 'viem';
import { isAddressEqual, zeroAddress, zeroHash } from 'viem';
import { sameHex } from '../chain/hex-bytes.js';
import type { OracleState } from '../chain/oracle-reads.js';
import type { PipelineError } from '../core/errors.js';
import {
  OracleConfigMissingError,
  OracleDisputeGameFactoryError,
  OracleRollupConfigMismatchError,
  OracleVerifierMismatchError,
  OracleVkeyMismatchError,
  ProposerNotApprovedError,
} from './errors.js';
import type { ProposerWaitReason } from './proposer-wait.js';

/** Whether the oracle lets this signer propose now, and if not, what a person must do. */
export type OracleReadiness =
  | { readonly kind: 'ready' }
  /** Nothing can be sent: the run fails with `error` (the Lambda's Errors metric moves). */
  | { readonly kind: 'refused'; readonly reason: ProposerWaitReason; readonly error: PipelineError }
  /** Checkpoints are still served (proving goes on) but no proposal is sent until the mode is off. */
  | { readonly kind: 'proposals-paused'; readonly reason: ProposerWaitReason; readonly message: string };

/** What the proposer's side expects of the oracle; an absent value is not checked. */
export interface OracleExpectations {
  /** `chains.l1.verifierAddress`: the SP1 verifier (gateway) the oracle must call. */
  readonly verifierAddress?: Address | undefined;
  /** The rollup config hash the programs prove with (`ROLLUP_CONFIG_HASH`). */
  readonly rollupConfigHash?: Hex | undefined;
  /** `proposer.expectedVkeys`: the program vkeys the oracle's config must hold. */
  readonly vkeys?: { readonly aggregationVkey: Hex; readonly rangeVkeyCommitment: Hex } | undefined;
}

const refused = (reason: ProposerWaitReason, error: PipelineError): OracleReadiness => ({
  kind: 'refused',
  reason,
  error,
});

/**
 * Reads what the oracle said at the start of a run as readiness (pre-flight, in this order): the
 * signer not approved, the config missing, a verifier, rollup config hash or program vkey other than
 * expected, or a dispute-game factory set (direct proposals revert) refuse the run; optimistic mode pauses proposals
 * only (every validity proposal would revert with "L2OutputOracle: optimistic mode is enabled").
 */
export function oracleReadiness(
  oracle: OracleState,
  parameters: {
    readonly signer: Address;
    readonly oracleAddress: Address;
    readonly configName: string;
    readonly expected?: OracleExpectations;
  },
): OracleReadiness {
  const { signer, oracleAddress, configName, expected = {} } = parameters;
  if (!oracle.proposerApproved)
    return refused(
      'not-approved',
      new ProposerNotApprovedError(
        `signer ${signer} is not an approved proposer of the oracle at ${oracleAddress}`,
        {
          details: `the oracle owner must call addProposer(${signer})`,
        },
      ),
    );
  if (oracle.config.aggregationVkey === zeroHash)
    return refused(
      'config-missing',
      new OracleConfigMissingError(
        `the oracle at ${oracleAddress} has no config named "${configName}" (${oracle.configName})`,
        {
          details: 'set proposer.configName to a config the oracle holds, or add it with addOpSuccinctConfig',
        },
      ),
    );
  if (expected.verifierAddress !== undefined && !isAddressEqual(oracle.verifier, expected.verifierAddress))
    return refused(
      'verifier-mismatch',
      new OracleVerifierMismatchError(
        `the oracle at ${oracleAddress} verifies proofs with ${oracle.verifier}, but chains.l1.verifierAddress is ${expected.verifierAddress}`,
        {
          details: "point the config at the oracle's verifier, or have the oracle owner call updateVerifier",
        },
      ),
    );
  if (
    expected.rollupConfigHash !== undefined &&
    !sameHex(oracle.config.rollupConfigHash, expected.rollupConfigHash)
  )
    return refused(
      'rollup-config-mismatch',
      new OracleRollupConfigMismatchError(
        `the oracle config "${configName}" at ${oracleAddress} holds rollup config hash ${oracle.config.rollupConfigHash}, but the programs prove with ${expected.rollupConfigHash}`,
        {
          details:
            'every proof would be refused: check chains.l2.rollupConfigPath, or add a config with addOpSuccinctConfig and set proposer.configName to it',
        },
      ),
    );
  const vkeyMismatch = vkeyMismatchOf(oracle, expected.vkeys);
  if (vkeyMismatch !== undefined)
    return refused(
      'vkey-mismatch',
      new OracleVkeyMismatchError(
        `the oracle config "${configName}" at ${oracleAddress} holds ${vkeyMismatch}: every proof of our programs would be refused`,
        {
          details:
            'check proposer.expectedVkeys against the programs the jobs run, or add a config with addOpSuccinctConfig and set proposer.configName to it',
        },
      ),
    );
  if (!isAddressEqual(oracle.disputeGameFactory, zeroAddress))
    return refused(
      'dispute-game-factory',
      new OracleDisputeGameFactoryError(
        `the oracle at ${oracleAddress} has dispute-game factory ${oracle.disputeGameFactory} set: direct proposeL2Output calls revert and this proposer does not send dgfProposeL2Output`,
        {
          details:
            'the oracle owner must call setDisputeGameFactory(0x0000000000000000000000000000000000000000)',
        },
      ),
    );
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

/** Each expected vkey the oracle's config holds another value for, as "<name> <found>, but … is <expected>". */
function vkeyMismatchOf(oracle: OracleState, expected: OracleExpectations['vkeys']): string | undefined {
  if (expected === undefined) return undefined;
  const mismatches = (['aggregationVkey', 'rangeVkeyCommitment'] as const)
    .filter((name) => !sameHex(oracle.config[name], expected[name]))
    .map((name) => `${name} ${oracle.config[name]}, but proposer.expectedVkeys.${name} is ${expected[name]}`);
  return mismatches.length === 0 ? undefined : mismatches.join('; and ');
}
