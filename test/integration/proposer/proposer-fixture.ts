import { readFileSync } from 'node:fs';
import { type Address, createTestClient, type Hex, http, type PublicClient, publicActions } from 'viem';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { MemoryBlobStore } from '../../../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryJobRunner } from '../../../lambdas/adapters/memory/memory-job-runner.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMessageBus } from '../../../lambdas/adapters/memory/memory-message-bus.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { computeOutputRoot } from '../../../lambdas/chain/compute-output-root.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../../lambdas/core/config/schema.js';
import type { AggregateResult, L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import { keyInterval, messageId, rangeKey, sortKeyOf } from '../../../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { newGroupItem } from '../../../lambdas/core/orchestrator/group-records.js';
import { messageKind } from '../../../lambdas/core/orchestrator/message-records.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/orchestrator-deps.js';
import { type Clock, systemClock } from '../../../lambdas/core/ports/clock.js';
import { encodeAggregationOutputs } from '../../../lambdas/programs/aggregate/aggregation-outputs.js';
import type { ProposerDeps } from '../../../lambdas/proposer/proposer-deps.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';

export const SUBMISSION_INTERVAL = 4;

/** The devnet config pointed at the test chains (short timeouts, submission interval 4). */
export function proposerTestConfig(
  chains: DevChains,
  l1RpcUrls: readonly string[] = [chains.l1.rpcUrl],
): PipelineConfig {
  const raw = JSON.parse(readFileSync(new URL('../../../config/devnet.json', import.meta.url), 'utf8'));
  raw.chains.l1.rpcUrls = [...l1RpcUrls];
  raw.chains.l1.oracleAddress = chains.oracleAddress;
  raw.chains.l2.rpcUrls = [chains.l2.rpcUrl];
  raw.chains.l2.startBlock = chains.startingBlock.blockNumber.toString();
  raw.stages[0].collector.groupSize = 2;
  raw.stages[1].collector.minSpan = SUBMISSION_INTERVAL;
  Object.assign(raw.proposer, {
    submissionInterval: SUBMISSION_INTERVAL,
    resubmissionTimeoutSeconds: 2,
    leaseSeconds: 60,
    confirmations: 1,
  });
  return parsePipelineConfig(raw, 'proposer test config');
}

export interface ProposerHarness {
  readonly deps: ProposerDeps;
  readonly store: MemoryStateStore;
  readonly blobs: MemoryBlobStore;
  readonly jobs: MemoryJobRunner;
  readonly logger: MemoryLogger;
  readonly metrics: MemoryMetrics;
  readonly l2: PublicClient;
}

/** Proposer deps over the test chains and in-memory ports; `overrides` swap single parts. */
export function proposerHarness(
  chains: DevChains,
  overrides: Partial<ProposerDeps> & { store?: MemoryStateStore } = {},
): ProposerHarness {
  const config = overrides.config ?? proposerTestConfig(chains);
  const store = overrides.store ?? new MemoryStateStore();
  const blobs = new MemoryBlobStore();
  const jobs = new MemoryJobRunner();
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  const clock: Clock = overrides.clock ?? systemClock;
  const l1 = createChainPublicClient({
    chainId: 900,
    name: 'l1',
    rpcUrls: config.chains.l1.rpcUrls ?? [],
    rpcTimeoutMs: 2000,
  });
  const l2 = createChainPublicClient({
    chainId: 901,
    name: 'l2',
    rpcUrls: [chains.l2.rpcUrl],
    rpcTimeoutMs: 2000,
  });
  const orchestrator: OrchestratorDeps = {
    config,
    store,
    bus: new MemoryMessageBus(),
    blobs,
    jobs,
    clock,
    logger,
    metrics,
    programContext: { rollupConfigHash: testProgramKeys.rollupConfigHash },
  };
  const deps: ProposerDeps = {
    config,
    store,
    blobs,
    l1,
    l2,
    account: createLocalAccount(1),
    oracleAddress: chains.oracleAddress,
    orchestrator,
    logger,
    metrics,
    clock,
    invocationId: `run-${Math.random().toString(36).slice(2)}`,
    pollIntervalMs: 50,
    ...overrides,
  };
  return { deps, store, blobs, jobs, logger, metrics, l2 };
}

/** Mines L2 blocks until the L2 head is at least `block`. */
export async function mineL2To(chains: DevChains, block: bigint): Promise<void> {
  const l2 = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) }).extend(publicActions);
  const head = await l2.getBlockNumber({ cacheTime: 0 });
  if (head < block) await l2.mine({ blocks: Number(block - head) });
}

/**
 * The AggregateResult an aggregate executor would produce for (start, end] against `checkpoint`,
 * computed from the L2 chain (mock proof: empty bytes, which the mock verifier accepts).
 */
export async function aggregateResultFor(
  l2: PublicClient,
  start: bigint,
  end: bigint,
  checkpoint: L1Checkpoint,
  prover: Address,
  overrides: Partial<Pick<AggregateResult, 'aggregationVkey' | 'proof'>> = {},
): Promise<AggregateResult> {
  const [pre, post] = await Promise.all([computeOutputRoot(l2, start), computeOutputRoot(l2, end)]);
  const outputs = {
    l1Head: checkpoint.l1BlockHash,
    l2PreRoot: pre.outputRoot,
    claimRoot: post.outputRoot,
    claimBlockNum: end.toString(),
    rollupConfigHash: testProgramKeys.rollupConfigHash,
    rangeVkeyCommitment: testProgramKeys.rangeVkeyCommitment,
    proverAddress: prover,
  };
  return {
    version: 1,
    program: 'aggregate',
    start: start.toString(),
    end: end.toString(),
    outputs,
    publicValues: encodeAggregationOutputs(outputs),
    proof: overrides.proof ?? '0x',
    aggregationVkey: overrides.aggregationVkey ?? testProgramKeys.aggregationVkey,
    l1BlockNumber: checkpoint.l1BlockNumber,
    backend: 'mock',
    proofMode: 'groth16',
    cycles: 0,
  };
}

/** Records an `aggregate-proofs` message as the dispatcher does (pending, sorted by start). */
export async function storeAggregateMessage(
  harness: ProposerHarness,
  result: AggregateResult,
): Promise<string> {
  const key = rangeKey(BigInt(result.start), BigInt(result.end));
  const envelope = makeEnvelope('aggregate-proofs', key, result, systemClock);
  await harness.store.create({
    id: messageId('aggregate-proofs', key),
    kind: messageKind('aggregate-proofs'),
    status: 'pending',
    sortKey: sortKeyOf(keyInterval(key, 'range').start),
    data: { envelope, receivedAt: envelope.createdAt },
  });
  return envelope.id;
}

const hex32 = (byte: string): Hex => `0x${byte.repeat(32)}`;

/** An aggregate group waiting for a checkpoint, with one range-proof member (schema-valid payload). */
export async function storeAwaitingGroup(
  harness: ProposerHarness,
  start: bigint,
  end: bigint,
): Promise<string> {
  const key = rangeKey(start, end);
  const range: RangeResult = {
    version: 1,
    program: 'range',
    start: start.toString(),
    end: end.toString(),
    bootInfo: {
      l1Head: hex32('01'),
      l2PreRoot: hex32('02'),
      l2PostRoot: hex32('03'),
      l2BlockNumber: end.toString(),
      rollupConfigHash: testProgramKeys.rollupConfigHash,
    },
    publicValues: '0x',
    proof: '0x',
    vkey: testProgramKeys.rangeVkeyCommitment,
    backend: 'mock',
    proofMode: 'compressed',
    cycles: 0,
  };
  const envelope = makeEnvelope('range-proofs', key, range, systemClock);
  await harness.store.create({
    id: envelope.id,
    kind: messageKind('range-proofs'),
    status: 'collected',
    sortKey: sortKeyOf(start),
    data: { envelope, receivedAt: envelope.createdAt },
  });
  const group = newGroupItem('aggregate', start, end, [envelope.id]);
  await harness.store.create({ ...group, status: 'awaiting-checkpoint' });
  return group.id;
}
