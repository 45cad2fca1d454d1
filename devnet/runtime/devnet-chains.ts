import type { Address } from 'viem';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { aggregateProgram } from '../../lambdas/programs/aggregate/aggregate-program.js';
import { rangeProgram } from '../../lambdas/programs/range/range-program.js';
import { devAccount } from '../chains/dev-accounts.js';
import { type DevChains, startDevChains } from '../chains/start-dev-chains.js';
import type { DevnetManifest } from './devnet-manifest.js';

export interface DevnetChainsOptions {
  readonly config: PipelineConfig;
  readonly rollupConfigHash: `0x${string}`;
  readonly l1Port: number;
  readonly l2Port: number;
  readonly l1BlockTimeSeconds: number;
  readonly l2BlockTimeSeconds: number;
}

/** The proposer address of a config's signer (anvil dev account on the devnet). */
export function proposerAddressOf(config: PipelineConfig): Address {
  const signer = config.proposer.signer;
  if (signer.kind !== 'anvil-dev') {
    throw new Error(`the devnet signs with an anvil dev account; proposer.signer.kind is "${signer.kind}"`);
  }
  return devAccount(signer.accountIndex).address;
}

/**
 * Starts the chains a pipeline config describes: L1 and L2 anvil, the message passer, L2 traffic,
 * the oracle + mock verifier with the programs' vkeys and the rollup config hash, the config's
 * proposer approved. Returns the chains and their manifest.
 */
export async function startDevnetChains(
  options: DevnetChainsOptions,
): Promise<{ chains: DevChains; manifest: DevnetManifest }> {
  const { config } = options;
  const proposer = proposerAddressOf(config);
  const chains = await startDevChains({
    aggregationVkey: aggregateProgram.vkey,
    rangeVkeyCommitment: rangeProgram.vkey,
    rollupConfigHash: options.rollupConfigHash,
    submissionInterval: config.proposer.submissionInterval,
    l1ChainId: config.chains.l1.chainId,
    l2ChainId: config.chains.l2.chainId,
    l1Port: options.l1Port,
    l2Port: options.l2Port,
    l1BlockTimeSeconds: options.l1BlockTimeSeconds,
    l2BlockTimeSeconds: options.l2BlockTimeSeconds,
    proposers: [proposer],
  });
  return {
    chains,
    manifest: {
      l1: { rpcUrl: chains.l1.rpcUrl, chainId: chains.l1.chainId },
      l2: { rpcUrl: chains.l2.rpcUrl, chainId: chains.l2.chainId },
      contracts: {
        l2OutputOracle: chains.oracleAddress,
        verifier: chains.verifierAddress,
        messagePasser: chains.messagePasser,
      },
      proposer,
      startingBlock: chains.startingBlock.blockNumber.toString(),
    },
  };
}
