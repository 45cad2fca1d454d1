import { mkdirSync } from 'node:fs';
import type { Address } from 'viem';
import { aggregateProgram } from '../../batch-jobs/programs/aggregate/aggregate-program.js';
import { rangeProgram } from '../../batch-jobs/programs/range/range-program.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { devAccount } from '../chains/dev-accounts.js';
import { type DevChains, resumeDevChains, startDevChains } from '../chains/start-dev-chains.js';
import { devnetChainStatePaths, readStartingOutput, writeStartingOutput } from './devnet-chain-state.js';
import type { DevnetManifest } from './devnet-manifest.js';

export interface DevnetChainsOptions {
  readonly config: PipelineConfig;
  readonly rollupConfigHash: `0x${string}`;
  readonly l1Port: number;
  readonly l2Port: number;
  readonly l1BlockTimeSeconds: number;
  readonly l2BlockTimeSeconds: number;
  /**
   * Persist the chains under `<stateDirectory>/chains/` (anvil state files, written on stop and every
   * `stateIntervalSeconds`), so that `resumeDevnetChains` continues them. undefined: in memory only.
   */
  readonly stateDirectory?: string;
  /** Seconds between periodic writes of the chain state. @default 5 */
  readonly stateIntervalSeconds?: number;
  /** Told each start-up phase as it is reached (`StartDevChainsOptions.onPhase`). */
  readonly onPhase?: (phase: string) => void;
}

export interface ResumeDevnetChainsOptions {
  readonly config: PipelineConfig;
  /** The manifest the chains were started with (contract addresses, ports). */
  readonly manifest: DevnetManifest;
  /** The state folder the chains persisted in (`startDevnetChains({ stateDirectory })`). */
  readonly stateDirectory: string;
  readonly l1Port: number;
  readonly l2Port: number;
  readonly l1BlockTimeSeconds: number;
  readonly l2BlockTimeSeconds: number;
  /** @default 5 */
  readonly stateIntervalSeconds?: number;
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
  const paths =
    options.stateDirectory === undefined ? undefined : devnetChainStatePaths(options.stateDirectory);
  if (paths !== undefined) mkdirSync(paths.directory, { recursive: true });
  const chains = await startDevChains({
    aggregationVkey: aggregateProgram.vkey,
    rangeVkeyCommitment: rangeProgram.vkey,
    rollupConfigHash: options.rollupConfigHash,
    submissionInterval: config.proposer.submissionInterval,
    ...chainPairOptions(options),
    proposers: [proposer],
    ...(options.onPhase === undefined ? {} : { onPhase: options.onPhase }),
    ...(paths === undefined ? {} : { l1StateFile: paths.l1StateFile, l2StateFile: paths.l2StateFile }),
  });
  if (paths !== undefined) writeStartingOutput(paths, chains.startingBlock);
  return { chains, manifest: manifestOf(chains, proposer) };
}

/**
 * Continues the chains a previous `startDevnetChains({ stateDirectory })` persisted: same chain ids,
 * contracts, blocks and accounts; no seeding or deployment. Returns the chains and their manifest
 * (the ports may differ from the old manifest's).
 *
 * @throws Error when the manifest's chain ids or proposer do not match the config, and DevChainError when
 * the state files are missing or do not hold the manifest's oracle and starting block.
 */
export async function resumeDevnetChains(
  options: ResumeDevnetChainsOptions,
): Promise<{ chains: DevChains; manifest: DevnetManifest }> {
  const { config, manifest } = options;
  const proposer = proposerAddressOf(config);
  const mismatches = [
    manifest.l1.chainId === config.chains.l1.chainId ? undefined : `L1 chain id ${manifest.l1.chainId}`,
    manifest.l2.chainId === config.chains.l2.chainId ? undefined : `L2 chain id ${manifest.l2.chainId}`,
    manifest.proposer.toLowerCase() === proposer.toLowerCase() ? undefined : `proposer ${manifest.proposer}`,
  ].filter((mismatch) => mismatch !== undefined);
  if (mismatches.length > 0) {
    throw new Error(`the saved chains do not match the config: ${mismatches.join(', ')}`);
  }
  const paths = devnetChainStatePaths(options.stateDirectory);
  const chains = await resumeDevChains({
    l1StateFile: paths.l1StateFile,
    l2StateFile: paths.l2StateFile,
    oracleAddress: manifest.contracts.l2OutputOracle,
    verifierAddress: manifest.contracts.verifier,
    startingBlock: readStartingOutput(paths),
    ...chainPairOptions(options),
  });
  return { chains, manifest: manifestOf(chains, proposer) };
}

/** The chain ids, ports, block times and state interval that starting and resuming share. */
function chainPairOptions(options: ResumeDevnetChainsOptions | DevnetChainsOptions): {
  l1ChainId: number;
  l2ChainId: number;
  l1Port: number;
  l2Port: number;
  l1BlockTimeSeconds: number;
  l2BlockTimeSeconds: number;
  stateIntervalSeconds?: number;
} {
  return {
    l1ChainId: options.config.chains.l1.chainId,
    l2ChainId: options.config.chains.l2.chainId,
    l1Port: options.l1Port,
    l2Port: options.l2Port,
    l1BlockTimeSeconds: options.l1BlockTimeSeconds,
    l2BlockTimeSeconds: options.l2BlockTimeSeconds,
    ...(options.stateIntervalSeconds === undefined
      ? {}
      : { stateIntervalSeconds: options.stateIntervalSeconds }),
  };
}

function manifestOf(chains: DevChains, proposer: Address): DevnetManifest {
  return {
    l1: { rpcUrl: chains.l1.rpcUrl, chainId: chains.l1.chainId },
    l2: { rpcUrl: chains.l2.rpcUrl, chainId: chains.l2.chainId },
    contracts: {
      l2OutputOracle: chains.oracleAddress,
      verifier: chains.verifierAddress,
      messagePasser: chains.messagePasser,
    },
    proposer,
    startingBlock: chains.startingBlock.blockNumber.toString(),
  };
}
