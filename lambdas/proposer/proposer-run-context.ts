import type { Abi } from 'viem';
import { opSuccinctL2OutputOracleAbi } from '../chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sp1MockVerifierAbi } from '../chain/abi/SP1MockVerifier.generated.js';
import type { OracleState } from '../chain/oracle-reads.js';
import type { TxManagerDeps } from '../chain/tx-manager/types.js';
import type { ProposerDeps } from './proposer-deps.js';

/** One run's working set: the deps, the tx manager's deps, what the oracle said, and the deadline. */
export interface ProposerRunContext {
  readonly deps: ProposerDeps;
  readonly tx: TxManagerDeps;
  readonly oracle: OracleState;
  readonly deadline: number;
}

/** Errors of the oracle and of the verifier it calls, for decoding reverts. */
export const proposalErrorsAbi: Abi = [...opSuccinctL2OutputOracleAbi, ...sp1MockVerifierAbi];
