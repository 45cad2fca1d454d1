import { readFileSync } from 'node:fs';
import { type Address, createTestClient, type Hex, http, publicActions } from 'viem';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import type { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import type { ChainClient } from '../../../lambdas/chain/chain-client.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../../lambdas/core/config/schema.js';
import type { AggregateResult, L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import type { RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import { rangeKey, sortKeyOf } from '../../../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../lambdas/core/orchestrator/group/finish-job.js';
import { groupItem, newGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import { messageKind } from '../../../lambdas/core/orchestrator/messages/message-records.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import type { JobSpec } from '../../../lambdas/core/ports/job-runner.js';
import type { StateStore } from '../../../lambdas/core/ports/state-store.js';
import type { ProposerDeps } from '../../../lambdas/proposer/proposer-deps.js';
import {
  type InMemoryProposer,
  inMemoryProposer,
  mockAggregateResult,
  recordAggregateMessage,
} from '../../../scripts/in-memory-proposer.js';
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

export type ProposerHarness = InMemoryProposer;

/** Proposer deps over the test chains and in-memory ports; `overrides` swap single parts. */
export function proposerHarness(
  chains: DevChains,
  overrides: Partial<ProposerDeps> & { store?: MemoryStateStore } = {},
): ProposerHarness {
  const { store, ...rest } = overrides;
  return inMemoryProposer(
    {
      config: overrides.config ?? proposerTestConfig(chains),
      oracleAddress: chains.oracleAddress,
      account: createLocalAccount(1),
      rollupConfigHash: testProgramKeys.rollupConfigHash,
      ...(store === undefined ? {} : { store }),
    },
    rest,
  );
}

/** Mines L2 blocks until the L2 head is at least `block`. */
export async function mineL2To(chains: DevChains, block: bigint): Promise<void> {
  const l2 = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) }).extend(publicActions);
  const head = await l2.getBlockNumber({ cacheTime: 0 });
  if (head < block) await l2.mine({ blocks: Number(block - head) });
}

/** `mockAggregateResult` for (start, end] under the test program keys. */
export async function aggregateResultFor(
  l2: ChainClient,
  start: bigint,
  end: bigint,
  checkpoint: L1Checkpoint,
  prover: Address,
  overrides: Partial<Pick<AggregateResult, 'aggregationVkey' | 'proof'>> = {},
): Promise<AggregateResult> {
  return mockAggregateResult(l2, { start, end }, checkpoint, prover, testProgramKeys, overrides);
}

/** Records an `aggregate-proofs` message as the dispatcher does (pending, sorted by start). */
export async function storeAggregateMessage(
  harness: ProposerHarness,
  result: AggregateResult,
): Promise<string> {
  return recordAggregateMessage(harness.store, result);
}

const hex32 = (byte: string): Hex => `0x${byte.repeat(32)}`;

/**
 * An aggregate group waiting for a checkpoint, with one range-proof member (schema-valid payload)
 * proven against `l1Head` (default: the harness's L1 genesis block, canonical for good: the proposer
 * re-proves a range whose l1Head is not on L1 instead of checkpointing for it).
 */
export async function storeAwaitingGroup(
  harness: { readonly store: StateStore; readonly deps?: { readonly l1: ChainClient } },
  start: bigint,
  end: bigint,
  given?: Hex,
): Promise<string> {
  const l1Head = given ?? (await harness.deps?.l1.getBlock({ blockNumber: 0n }))?.hash;
  if (l1Head === undefined) throw new Error('storeAwaitingGroup: give an l1Head or a harness with deps.l1');
  const key = rangeKey(start, end);
  const range: RangeResult = {
    version: 1,
    program: 'range',
    start: start.toString(),
    end: end.toString(),
    bootInfo: {
      l1Head,
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
  const envelope = makeEnvelope('range-proofs', key, range, systemClock.now());
  await harness.store.create({
    id: envelope.id,
    kind: messageKind('range-proofs'),
    status: 'collected',
    sortKey: sortKeyOf(start),
    data: { envelope, receivedAt: envelope.createdAt },
  });
  const group = groupItem(newGroup('aggregate', start, end, [envelope.id]));
  await harness.store.create({ ...group, status: 'awaiting-checkpoint' });
  return group.id;
}

/**
 * Completes a submitted aggregate job as the executor and the job-state handler would: writes
 * `result` to the job's output key, applies the SUCCEEDED completion (the group succeeds and
 * publishes the result), and dispatches what was published, which records the pending
 * `aggregate-proofs` message. Returns the message id.
 */
export async function completeAggregateJob(
  harness: ProposerHarness,
  job: JobSpec,
  result: AggregateResult,
): Promise<string> {
  const { orchestrator } = harness;
  await harness.blobs.putJson(job.outputKey, result);
  const publishedBefore = harness.bus.published.length;
  const outcome = await finishJob(orchestrator, {
    stage: job.stage,
    groupId: job.groupId,
    attempt: job.attempt,
    jobName: job.name,
    status: 'SUCCEEDED',
  });
  if (outcome !== 'succeeded') throw new Error(`job ${job.name} completed as ${outcome}`);
  const published = harness.bus.published.slice(publishedBefore);
  for (const envelope of published) await dispatchMessage(orchestrator, envelope);
  const [envelope] = published;
  if (envelope === undefined) throw new Error(`job ${job.name} published nothing`);
  return envelope.id;
}
