import type { Address, Hex, LocalAccount } from 'viem';
import { encodeAggregationOutputs } from '../batch-jobs/programs/aggregate/aggregation-outputs.js';
import { MemoryBlobStore } from '../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryJobRunner } from '../lambdas/adapters/memory/memory-job-runner.js';
import { MemoryLogger } from '../lambdas/adapters/memory/memory-logger.js';
import { MemoryMessageBus } from '../lambdas/adapters/memory/memory-message-bus.js';
import { MemoryMetrics } from '../lambdas/adapters/memory/memory-metrics.js';
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store.js';
import type { ChainClient } from '../lambdas/chain/chain-client.js';
import { computeOutputRoot } from '../lambdas/chain/l2-state/compute-output-root.js';
import { createChainPublicClient } from '../lambdas/chain/rpc-transport.js';
import type { PipelineConfig } from '../lambdas/core/config/schema.js';
import type { AggregateResult, L1Checkpoint } from '../lambdas/core/executor/aggregate-contract.js';
import { keyInterval, messageId, rangeKey, sortKeyOf } from '../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../lambdas/core/messages/make-envelope.js';
import { messageKind } from '../lambdas/core/orchestrator/messages/message-records.js';
import { proposerGateway } from '../lambdas/core/orchestrator/proposer-gateway.js';
import type { OrchestratorDeps } from '../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { type Clock, systemClock } from '../lambdas/core/ports/clock.js';
import type { StateStore } from '../lambdas/core/ports/state-store.js';
import { programPlugins } from '../lambdas/core/programs/program-plugins.js';
import type { ProposerDeps } from '../lambdas/proposer/proposer-deps.js';

/**
 * The proposer wiring over local chains and in-memory ports, shared by the proposer tests
 * (`test/integration/proposer/proposer-fixture.ts`) and `scripts/bench-proposer-gas.ts`.
 */
export interface InMemoryProposer {
  readonly deps: ProposerDeps;
  /** The orchestrator over the same store and blob store (to complete jobs and dispatch their results). */
  readonly orchestrator: OrchestratorDeps;
  readonly store: MemoryStateStore;
  readonly blobs: MemoryBlobStore;
  readonly jobs: MemoryJobRunner;
  /** The orchestrator's bus: what completed jobs published. */
  readonly bus: MemoryMessageBus;
  readonly logger: MemoryLogger;
  readonly metrics: MemoryMetrics;
  readonly l2: ChainClient;
}

/** The program keys an oracle config holds and the mock proofs commit to. */
export interface ProgramKeys {
  readonly aggregationVkey: string;
  readonly rangeVkeyCommitment: string;
  readonly rollupConfigHash: string;
}

export interface InMemoryProposerOptions {
  /** RPC URLs and chain ids come from `config.chains`. */
  readonly config: PipelineConfig;
  readonly oracleAddress: Address;
  readonly account: LocalAccount;
  /** The rollup config hash the orchestrator's aggregate requests carry. */
  readonly rollupConfigHash: string;
  readonly store?: MemoryStateStore;
  readonly clock?: Clock;
  /** @default 2000 */
  readonly rpcTimeoutMs?: number;
  /** @default 50 */
  readonly pollIntervalMs?: number;
}

/**
 * Proposer deps over the chains of `options.config` and fresh in-memory ports (the orchestrator
 * shares the store, blob store, logger and metrics); `overrides` swap single parts of the deps.
 *
 * @example
 * const { deps } = inMemoryProposer({ config, oracleAddress, account, rollupConfigHash });
 * const report = await runProposer(deps);
 */
export function inMemoryProposer(
  options: InMemoryProposerOptions,
  overrides: Partial<ProposerDeps> = {},
): InMemoryProposer {
  const config = overrides.config ?? options.config;
  const store = options.store ?? new MemoryStateStore();
  const blobs = new MemoryBlobStore();
  const jobs = new MemoryJobRunner();
  const bus = new MemoryMessageBus();
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  const clock: Clock = overrides.clock ?? options.clock ?? systemClock;
  const rpcTimeoutMs = options.rpcTimeoutMs ?? 2000;
  const client = (chain: 'l1' | 'l2') =>
    createChainPublicClient({
      chainId: config.chains[chain].chainId,
      name: chain,
      rpcUrls: config.chains[chain].rpcUrls ?? [],
      rpcTimeoutMs,
    });
  const l2 = client('l2');
  const orchestrator: OrchestratorDeps = {
    config,
    store,
    bus,
    blobs,
    jobs,
    clock,
    logger,
    metrics,
    programs: programPlugins({ rollupConfigHash: options.rollupConfigHash }),
    origin: BigInt(config.chains.l2.startBlock),
  };
  const deps: ProposerDeps = {
    config,
    store,
    blobs,
    l1: client('l1'),
    l2,
    account: options.account,
    oracleAddress: options.oracleAddress,
    rollupConfigHash: options.rollupConfigHash as Hex,
    orchestrator: proposerGateway(orchestrator),
    logger,
    metrics,
    clock,
    invocationId: `run-${Math.random().toString(36).slice(2)}`,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    ...overrides,
  };
  return { deps, orchestrator, store, blobs, jobs, bus, logger, metrics, l2 };
}

/**
 * The AggregateResult an aggregate executor would produce for (start, end] against `checkpoint`,
 * computed from the L2 chain (mock proof: empty bytes, which the mock verifier accepts).
 */
export async function mockAggregateResult(
  l2: ChainClient,
  interval: { start: bigint; end: bigint },
  checkpoint: L1Checkpoint,
  prover: Address,
  keys: ProgramKeys,
  overrides: Partial<Pick<AggregateResult, 'aggregationVkey' | 'proof'>> = {},
): Promise<AggregateResult> {
  const { start, end } = interval;
  const [pre, post] = await Promise.all([computeOutputRoot(l2, start), computeOutputRoot(l2, end)]);
  const outputs = {
    l1Head: checkpoint.l1BlockHash,
    l2PreRoot: pre.outputRoot,
    claimRoot: post.outputRoot,
    claimBlockNum: end.toString(),
    rollupConfigHash: keys.rollupConfigHash,
    rangeVkeyCommitment: keys.rangeVkeyCommitment,
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
    aggregationVkey: overrides.aggregationVkey ?? keys.aggregationVkey,
    l1BlockNumber: checkpoint.l1BlockNumber,
    backend: 'mock',
    proofMode: 'groth16',
    cycles: 0,
  };
}

/** Records an `aggregate-proofs` message as the dispatcher does (pending, sorted by start). */
export async function recordAggregateMessage(store: StateStore, result: AggregateResult): Promise<string> {
  const key = rangeKey(BigInt(result.start), BigInt(result.end));
  const envelope = makeEnvelope('aggregate-proofs', key, result, systemClock.now());
  await store.create({
    id: messageId('aggregate-proofs', key),
    kind: messageKind('aggregate-proofs'),
    status: 'pending',
    sortKey: sortKeyOf(keyInterval(key, 'range').start),
    data: { envelope, receivedAt: envelope.createdAt },
  });
  return envelope.id;
}
