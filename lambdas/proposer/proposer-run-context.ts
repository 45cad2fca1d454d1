import type { Abi } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sp1MockVerifierAbi } from '../chain/abi/SP1MockVerifier.generated.js';
import type { OracleState } from '../chain/oracle-reads.js';
import type { TxManagerDeps } from '../chain/tx-manager/types.js';
import type { ListedCheckpoints } from './checkpoint-records.js';
import type { ProposerDeps } from './proposer-deps.js';

/**
 * One run's working set: the deps, the tx manager's deps, what the oracle said, the deadline, and
 * the stored checkpoints as the run's reconciliation listed and checked them (once checked).
 */
export interface ProposerRunContext {
  readonly deps: ProposerDeps;
  readonly tx: TxManagerDeps;
  readonly oracle: OracleState;
  readonly deadline: number;
  readonly checkpoints?: ListedCheckpoints;
}

/** Errors of the oracle and of the verifier it calls, for decoding reverts. */
export const proposalErrorsAbi: Abi = [...opSuccinctL2OutputOracleAbi, ...sp1MockVerifierAbi];
