import { resolve } from 'node:path';
import { ManualClock } from '../../../../lambdas/adapters/memory/manual-clock.js';
import { MemoryBlobStore } from '../../../../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryJobRunner } from '../../../../lambdas/adapters/memory/memory-job-runner.js';
import { MemoryLogger } from '../../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMessageBus } from '../../../../lambdas/adapters/memory/memory-message-bus.js';
import { MemoryMetrics } from '../../../../lambdas/adapters/memory/memory-metrics.js';
import {
  MemoryStateStore,
  type MemoryStateStoreOptions,
} from '../../../../lambdas/adapters/memory/memory-state-store.js';
import { loadPipelineConfig } from '../../../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import type { AggregateResult } from '../../../../lambdas/core/executor/aggregate-contract.js';
import type { RangeResult } from '../../../../lambdas/core/executor/range-contract.js';
import type { Envelope } from '../../../../lambdas/core/messages/envelope.js';
import { blockKey, rangeKey } from '../../../../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import type { OrchestratorDeps } from '../../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { programPlugins } from '../../../../lambdas/core/programs/program-plugins.js';

export const ROLLUP_CONFIG_HASH = `0x${'ab'.repeat(32)}`;

/** The committed devnet config: range (block keys, groupSize 5, maxWait 20 s) → aggregate (minSpan 10, checkpoint). */
export function devnetConfig(): PipelineConfig {
  return loadPipelineConfig(resolve(import.meta.dirname, '../../../../config/devnet.json'));
}

export interface TestDeps {
  readonly deps: OrchestratorDeps;
  readonly store: MemoryStateStore;
  readonly bus: MemoryMessageBus;
  readonly blobs: MemoryBlobStore;
  readonly jobs: MemoryJobRunner;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly metrics: MemoryMetrics;
}

/** Orchestrator dependencies over the in-memory ports. */
export function makeDeps(
  config: PipelineConfig = devnetConfig(),
  storeOptions: MemoryStateStoreOptions = {},
): TestDeps {
  const clock = new ManualClock();
  const store = new MemoryStateStore({ now: () => clock.now(), ...storeOptions });
  const bus = new MemoryMessageBus();
  const blobs = new MemoryBlobStore();
  const jobs = new MemoryJobRunner();
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  const deps: OrchestratorDeps = {
    config,
    store,
    bus,
    blobs,
    jobs,
    clock,
    logger,
    metrics,
    programs: programPlugins({ rollupConfigHash: ROLLUP_CONFIG_HASH }),
    origin: BigInt(config.chains.l2.startBlock),
  };
  return { deps, store, bus, blobs, jobs, clock, logger, metrics };
}

export function hashOf(n: bigint, salt = 0): string {
  return `0x${(n * 16n + BigInt(salt)).toString(16).padStart(64, '0')}`;
}

/** A `blocks` message as the watcher publishes it. */
export function blockEnvelope(n: bigint, clock: ManualClock): Envelope {
  return makeEnvelope(
    'blocks',
    blockKey(n),
    { number: n.toString(), hash: hashOf(n), parentHash: hashOf(n - 1n), gasUsed: '21000' },
    clock.now(),
  );
}

/** A valid range result for (start, end]. */
export function rangeResult(start: bigint, end: bigint): RangeResult {
  return {
    version: 1,
    program: 'range',
    start: start.toString(),
    end: end.toString(),
    bootInfo: {
      l1Head: hashOf(1000n),
      l2PreRoot: hashOf(start, 1),
      l2PostRoot: hashOf(end, 1),
      l2BlockNumber: end.toString(),
      rollupConfigHash: ROLLUP_CONFIG_HASH,
    },
    publicValues: '0x00',
    proof: '0x',
    vkey: hashOf(7n, 2),
    backend: 'mock',
    proofMode: 'compressed',
    cycles: 10,
  };
}

/** The prover address the aggregate tests commit to (anvil dev account 1). */
export const TEST_PROVER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

/** A valid result of aggregate/0-10 over range/0-5 and range/5-10, made against the L1 checkpoint `l1Block`. */
export function aggregateResult(l1Block: bigint): AggregateResult {
  return {
    version: 1,
    program: 'aggregate',
    start: '0',
    end: '10',
    outputs: {
      l1Head: hashOf(l1Block, 3),
      l2PreRoot: hashOf(0n, 1),
      claimRoot: hashOf(10n, 1),
      claimBlockNum: '10',
      rollupConfigHash: ROLLUP_CONFIG_HASH,
      rangeVkeyCommitment: hashOf(7n, 2),
      proverAddress: TEST_PROVER,
    },
    publicValues: '0x00',
    proof: '0x',
    aggregationVkey: hashOf(8n, 2),
    l1BlockNumber: l1Block.toString(),
    backend: 'mock',
    proofMode: 'groth16',
    cycles: 1,
  };
}

/** A `range-proofs` message carrying a range result. */
export function rangeProofEnvelope(start: bigint, end: bigint, clock: ManualClock): Envelope {
  return makeEnvelope('range-proofs', rangeKey(start, end), rangeResult(start, end), clock.now());
}

/** The config with the range stage's collector replaced (e.g. other sizes). */
export function withRangeCollector(
  config: PipelineConfig,
  collector: PipelineConfig['stages'][number]['collector'],
): PipelineConfig {
  return {
    ...config,
    stages: config.stages.map((s) => (s.name === 'range' && isProvingStage(s) ? { ...s, collector } : s)),
  };
}
