import { createServer } from 'node:net';
import { BatchClient, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../devnet/stand-ins/lambda-context.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { createChainPublicClient } from '../../../lambdas/chain/rpc-transport.js';
import type { L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { createProposerHandler } from '../../../lambdas/handlers/proposer.js';
import { mockAggregateResult, recordAggregateMessage } from '../../../scripts/in-memory-proposer.js';
import { type HandlerStandIns, startHandlerStandIns } from '../../support/aws-stand-ins/handler-stand-ins.js';
import { scheduledEvent } from '../../support/aws-stand-ins/scheduled-event.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import {
  mineL2To,
  proposerTestConfig,
  SUBMISSION_INTERVAL,
  storeAwaitingGroup,
} from '../proposer/proposer-fixture.js';

const schedule = scheduledEvent('proposer-schedule');

const I = BigInt(SUBMISSION_INTERVAL);

/** Every string reachable from an error: message, stack, own fields, the cause chain. */
function everythingIn(error: unknown, seen = new Set<unknown>()): string {
  if (typeof error === 'string') return error;
  if (error === null || typeof error !== 'object' || seen.has(error)) return String(error);
  seen.add(error);
  const record = error as Record<string, unknown>;
  const keys = new Set([...Object.getOwnPropertyNames(error), 'message', 'stack', 'cause']);
  return [...keys].map((key) => everythingIn(record[key], seen)).join('\n');
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('proposer handler on a scheduled event, against anvil and the oracle', () => {
  const chains = useDevChains({ submissionInterval: SUBMISSION_INTERVAL });
  const batch = mockClient(BatchClient);
  const logger = new MemoryLogger();
  const submitted: string[] = [];
  let standIns: HandlerStandIns;
  let proposer: ReturnType<typeof createProposerHandler>;

  beforeAll(async () => {
    const config = proposerTestConfig(chains());
    standIns = await startHandlerStandIns(config, ['blocks', 'range-proofs', 'aggregate-proofs']);
    // The proposer refuses an oracle config holding another rollup config hash than its programs'.
    const env = { ...standIns.env, ROLLUP_CONFIG_HASH: testProgramKeys.rollupConfigHash };
    const runtime = buildRuntime(env, { logger, metrics: new MemoryMetrics() });
    proposer = createProposerHandler(() => runtime);
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
    batch.on(SubmitJobCommand).callsFake((input: { jobName: string }) => {
      submitted.push(input.jobName);
      return { jobId: `id-${input.jobName}`, jobName: input.jobName, jobArn: 'arn' };
    });
  });

  afterAll(async () => {
    batch.restore();
    await standIns?.close();
  });

  it('checkpoints for a waiting aggregate group, then proposes its proof; the report has decimal strings', async () => {
    // Prepare
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + I);
    const l1 = createChainPublicClient({
      chainId: 900,
      name: 'l1',
      rpcUrls: [chains().l1.rpcUrl],
      rpcTimeoutMs: 2000,
    });
    const groupId = await storeAwaitingGroup({ store: standIns.store, deps: { l1 } }, s, s + I);
    const l2 = createChainPublicClient({
      chainId: 901,
      name: 'l2',
      rpcUrls: [chains().l2.rpcUrl],
      rpcTimeoutMs: 2000,
    });

    // Act 1: the scheduled run serves the group's checkpoint request
    const first = (await proposer(schedule, lambdaContext('proposer'))) as {
      outcome: string;
      checkpoint: { l1BlockNumber: string; l1BlockHash: string; reused: boolean };
      groupsSubmitted: string[];
    };

    // Assess 1
    expect(first.outcome).toBe('done');
    expect(first.groupsSubmitted).toEqual([groupId]);
    expect(first.checkpoint.l1BlockNumber).toMatch(/^\d+$/);
    expect(first.checkpoint.reused).toBe(false);
    const checkpointBlock = await l1.getBlock({ blockNumber: BigInt(first.checkpoint.l1BlockNumber) });
    expect(first.checkpoint.l1BlockHash).toBe(checkpointBlock.hash);
    expect(submitted).toEqual([`aggregate-${s}-${s + I}-a1`]);
    expect((await standIns.store.get(groupId))?.status).toBe('running');

    // Prepare 2: the group's proof arrives as the dispatcher records it
    const checkpoint: L1Checkpoint = {
      l1BlockNumber: first.checkpoint.l1BlockNumber,
      l1BlockHash: first.checkpoint.l1BlockHash,
    };
    const prover = createLocalAccount(1).address;
    const result = await mockAggregateResult(
      l2,
      { start: s, end: s + I },
      checkpoint,
      prover,
      testProgramKeys,
    );
    const messageId = await recordAggregateMessage(standIns.store, result);

    // Act 2
    const second = (await proposer(schedule, lambdaContext('proposer'))) as {
      latestBlockNumber: string;
      proposed: { messageId: string; l2BlockNumber: string; txHash: string; gasUsed: string }[];
      refused: unknown[];
    };

    // Assess 2
    expect(second.refused).toEqual([]);
    expect(second.proposed).toEqual([
      expect.objectContaining({
        messageId,
        l2BlockNumber: String(s + I),
        gasUsed: expect.stringMatching(/^\d+$/),
      }),
    ]);
    expect(second.latestBlockNumber).toBe(String(s + I));
    const onOracle = await l1.readContract({
      address: chains().oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'latestBlockNumber',
    });
    expect(onOracle).toBe(s + I);
    expect((await standIns.store.get(messageId))?.status).toBe('proposed');
    expect((await standIns.store.get(`proposal/${s + I}`))?.status).toBe('proposed');
    const receipt = await l1.getTransactionReceipt({ hash: second.proposed[0]!.txHash as `0x${string}` });
    expect(receipt.status).toBe('success');
  });

  it('rethrows a failing RPC call with the endpoint URL redacted to its origin', async () => {
    // Prepare: an L1 endpoint whose path and query carry an API key, on a port nobody listens on
    const port = await closedLoopbackPort();
    const secretUrl = `http://127.0.0.1:${port}/v2/sEcReTkEy0123?apikey=hunter2`;
    const config = proposerTestConfig(chains(), [secretUrl]);
    const runtime = buildRuntime(
      { ...standIns.env, PIPELINE_CONFIG_JSON: JSON.stringify(config) },
      { logger: new MemoryLogger(), metrics: new MemoryMetrics() },
    );
    const failing = createProposerHandler(() => runtime);

    // Act
    const error = await failing(schedule, lambdaContext('proposer')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    // Assess
    expect(error).toBeInstanceOf(Error);
    const text = everythingIn(error);
    expect(text).toContain(`http://127.0.0.1:${port}`);
    expect(text).not.toContain('sEcReTkEy0123');
    expect(text).not.toContain('hunter2');
  });
});
