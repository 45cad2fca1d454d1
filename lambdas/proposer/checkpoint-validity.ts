import type { Hex } from 'viem';
import { readHistoricBlockHash } from '../chain/oracle-reads.js';
import type { ProposerRunContext } from './proposer-run-context.js';

/** `historicBlockHashes(n)` on the oracle and the hash of the canonical L1 block n, read together. */
export async function checkpointHashes(
  run: ProposerRunContext,
  l1BlockNumber: bigint,
): Promise<{ readonly onOracle: Hex; readonly onL1: Hex }> {
  const [onOracle, block] = await Promise.all([
    readHistoricBlockHash(run.deps.l1, run.deps.oracleAddress, l1BlockNumber),
    run.deps.l1.getBlock({ blockNumber: l1BlockNumber }),
  ]);
  return { onOracle, onL1: block.hash };
}

/**
 * True while L1 block `l1BlockNumber` is one the oracle can still use as the checkpoint `expectedHash`:
 * `historicBlockHashes(n)` equals it and so does the canonical L1 block n (an L1 reorg changes
 * either the block or drops the checkpoint tx).
 */
export async function checkpointStillValid(
  run: ProposerRunContext,
  l1BlockNumber: bigint,
  expectedHash: Hex,
): Promise<boolean> {
  const { onOracle, onL1 } = await checkpointHashes(run, l1BlockNumber);
  return onOracle === expectedHash && onL1 === expectedHash;
}
