import { createServer } from 'node:net';
import { createTestClient, type Hex, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sortKeyOf } from '../../../lambdas/core/messages/ids.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import {
  aggregateResultFor,
  completeAggregateJob,
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  proposerTestConfig,
  storeAggregateMessage,
  storeAwaitingGroup,
} from './proposer-fixture.js';
import {
  checkpointOf,
  checkpointThroughGroup,
  I,
  oracleRead,
  proposerNonce,
  useProposerChains,
} from './run-proposer-fixture.js';

describe('runProposer: faults', () => {
  const chains = useProposerChains();

  async function readyAggregate(harness: ProposerHarness): Promise<{ id: string; end: bigint }> {
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), latest + I);
    const checkpoint = await checkpointThroughGroup(harness, latest);
    const result = await aggregateResultFor(
      harness.l2,
      latest,
      latest + I,
      checkpoint,
      harness.deps.account.address,
    );
    return { id: await storeAggregateMessage(harness, result), end: latest + I };
  }

  it('two concurrent invocations send one proposal', async () => {
    // Prepare
    const harness = proposerHarness(chains());
    const { end } = await readyAggregate(harness);
    const nonce = await proposerNonce(chains());
    const indexBefore = await oracleRead(chains(), 'latestOutputIndex');
    // Act
    const reports = await Promise.all([
      runProposer({ ...harness.deps, invocationId: 'a' }),
      runProposer({ ...harness.deps, invocationId: 'b' }),
    ]);
    // Assess
    expect(reports.map((r) => r.outcome).sort()).toEqual(['busy', 'done']);
    expect(reports.flatMap((r) => r.proposed.map((p) => p.l2BlockNumber))).toEqual([end]);
    expect(await oracleRead(chains(), 'latestOutputIndex')).toBe(indexBefore + 1n);
    expect(await proposerNonce(chains())).toBe(nonce + 1);
  });

  it('a crash after sending, before recording the outcome, leads to no duplicate after restart', async () => {
    // Prepare: the store write that records the mined proposal tx "crashes" once
    let armed = false;
    const store = new MemoryStateStore({
      beforeWrite: (operation, id, item) => {
        if (armed && operation === 'replace' && id.startsWith('tx/') && item?.status === 'mined') {
          armed = false;
          throw new Error('process crashed');
        }
      },
    });
    const harness = proposerHarness(chains(), { store });
    const { id, end } = await readyAggregate(harness);
    armed = true;
    const nonce = await proposerNonce(chains());
    const indexBefore = await oracleRead(chains(), 'latestOutputIndex');
    await expect(runProposer({ ...harness.deps, invocationId: 'crashing' })).rejects.toThrow(
      'process crashed',
    );
    // Act
    const restarted = await runProposer({ ...harness.deps, invocationId: 'restarted' });
    // Assess
    expect(restarted.proposed).toEqual([]);
    expect(restarted.skipped).toEqual([id]);
    expect((await store.get(id))?.status).toBe('proposed');
    expect((await store.get(`proposal/${end}`))?.status).toBe('proposed');
    expect((await store.list('tx', 'sent')).length).toBe(0);
    expect(await oracleRead(chains(), 'latestOutputIndex')).toBe(indexBefore + 1n);
    expect(await proposerNonce(chains())).toBe(nonce + 1);
  });

  it('uses the second RPC endpoint when the first is down', async () => {
    // Prepare: a port that was free a moment ago and now refuses connections
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const config = proposerTestConfig(chains(), [`http://127.0.0.1:${port}`, chains().l1.rpcUrl]);
    const harness = proposerHarness(chains(), { config });
    const { end } = await readyAggregate(harness);
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'failover' });
    // Assess
    expect(report.proposed.map((p) => p.l2BlockNumber)).toEqual([end]);
  });

  it('sets a malformed stored checkpoint aside, naming it, and checkpoints again', async () => {
    // Prepare
    const harness = proposerHarness(chains());
    const head = await harness.deps.l1.getBlockNumber({ cacheTime: 0 });
    await harness.store.create({
      id: 'checkpoint/corrupt',
      kind: 'checkpoint',
      status: 'stored',
      sortKey: sortKeyOf(head),
      data: { l1BlockNumber: 'not a number', l1BlockHash: '0x12' },
    });
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await storeAwaitingGroup(harness, latest, latest + I);
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'corrupt-checkpoint' });
    // Assess
    expect(report.checkpoint?.reused).toBe(false);
    expect(report.groupsSubmitted).toHaveLength(1);
    expect((await harness.store.get('checkpoint/corrupt'))?.status).toBe('invalidated');
    const logged = harness.logger.at('error').find((e) => e.message.includes('malformed'));
    expect(logged?.attributes).toMatchObject({ checkpointId: 'checkpoint/corrupt' });
    expect(String(logged?.attributes?.issues)).toMatch(/l1BlockNumber/);
  });

  it('re-checkpoints after an L1 reorg, refuses the stale proof, has its group proven again, then proposes it', async () => {
    // Prepare: checkpoint a block that the reorg will replace; the group's job succeeds against it
    const harness = proposerHarness(chains());
    const prover = harness.deps.account.address;
    const test = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    const snapshot = await test.snapshot();
    await test.mine({ blocks: 1 });
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), latest + I);
    const old = await checkpointThroughGroup(harness, latest);
    const staleGroupId = `aggregate/${latest}-${latest + I}`;
    const firstJob = harness.jobs.submitted.at(-1);
    expect(firstJob).toMatchObject({ groupId: staleGroupId, attempt: 1 });
    const stale = await aggregateResultFor(harness.l2, latest, latest + I, old, prover);
    const staleId = await completeAggregateJob(harness, firstJob!, stale);
    expect((await harness.store.get(staleGroupId))?.status).toBe('succeeded');
    // The reorg: back to before that block, then a different chain of the same height and more
    await test.revert({ id: snapshot });
    const head = await harness.deps.l1.getBlock({ blockTag: 'latest' });
    await test.setNextBlockTimestamp({ timestamp: head.timestamp + 1000n });
    await test.mine({ blocks: 3 });
    await storeAwaitingGroup(harness, latest + I, latest + 2n * I);

    // Act 1
    const report = await runProposer({ ...harness.deps, invocationId: 'after-reorg' });
    // Assess 1: a fresh checkpoint on the new chain; the stale proof refused and its group reopened
    expect(report.checkpoint?.reused).toBe(false);
    const fresh = checkpointOf(report);
    const canonical = await harness.deps.l1.getBlock({ blockNumber: BigInt(fresh.l1BlockNumber) });
    expect(fresh.l1BlockHash).toBe(canonical.hash);
    const onOracle = await harness.deps.l1.readContract({
      address: chains().oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'historicBlockHashes',
      args: [BigInt(fresh.l1BlockNumber)],
    });
    expect(onOracle).toBe(canonical.hash);
    expect((await harness.store.get(`checkpoint/${old.l1BlockNumber}`))?.status).not.toBe('stored');
    expect(report.refused).toHaveLength(1);
    expect(report.refused[0]?.messageId).toBe(staleId);
    expect(report.refused[0]?.reason).toMatch(/L1 reorg/);
    expect(report.refused[0]?.reason).toContain(old.l1BlockHash as Hex);
    expect(report.refused[0]?.groupReopen).toBe('reopened');
    expect((await harness.store.get(staleId))?.status).toBe('superseded');
    const reopened = await harness.store.get(staleGroupId);
    expect(reopened?.status).toBe('awaiting-checkpoint');
    expect(reopened?.data.attempt).toBe(2);

    // Act 2: the next run checkpoints the reopened group again and re-submits it
    const rerun = await runProposer({ ...harness.deps, invocationId: 'reprove' });
    // Assess 2
    expect(rerun.groupsSubmitted).toEqual([staleGroupId]);
    expect(checkpointOf(rerun)).toEqual(fresh);
    const secondJob = harness.jobs.submitted.at(-1);
    expect(secondJob).toMatchObject({ groupId: staleGroupId, attempt: 2 });
    expect((await harness.store.get(staleGroupId))?.data.checkpoint).toEqual(fresh);

    // Act 3: the new proof (against the fresh checkpoint) completes; the next run proposes it
    const reproven = await aggregateResultFor(harness.l2, latest, latest + I, fresh, prover);
    const reprovenId = await completeAggregateJob(harness, secondJob!, reproven);
    const final = await runProposer({ ...harness.deps, invocationId: 'propose-reproven' });
    // Assess 3
    expect(reprovenId).toBe(staleId);
    expect(final.refused).toEqual([]);
    expect(final.proposed.map((p) => [p.l2BlockNumber, p.l1BlockNumber])).toEqual([
      [latest + I, BigInt(fresh.l1BlockNumber)],
    ]);
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(latest + I);
    expect((await harness.store.get(staleId))?.status).toBe('proposed');
  });
});
