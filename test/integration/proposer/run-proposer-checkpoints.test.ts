import { createTestClient, http } from 'viem';
import { describe, expect, it, vi } from 'vitest';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { signerLeaseId } from '../../../lambdas/chain/tx-manager/signer-lease.js';
import { pauseId } from '../../../lambdas/core/control/pause-switch.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import {
  aggregateResultFor,
  mineL2To,
  proposerHarness,
  storeAggregateMessage,
  storeAwaitingGroup,
} from './proposer-fixture.js';
import { checkpointOf, I, oracleRead, proposerNonce, useProposerChains } from './run-proposer-fixture.js';

describe('runProposer: checkpoints and ordered proposals', () => {
  const chains = useProposerChains();

  it('checkpoints for waiting groups, then proposes aggregates in order; outputs equal L2 output roots', async () => {
    // Prepare
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 6n * I);
    const harness = proposerHarness(chains());
    const groupId = await storeAwaitingGroup(harness, s, s + 3n * I);
    // Act 1: serve the checkpoint request
    const first = await runProposer(harness.deps);
    // Assess 1
    const checkpoint = checkpointOf(first);
    expect(first.checkpoint?.reused).toBe(false);
    expect(first.groupsSubmitted).toEqual([groupId]);
    const group = await harness.store.get(groupId);
    expect(group?.status).toBe('running');
    expect(group?.data.checkpoint).toEqual(checkpoint);
    expect(group?.data.rangeVkey).toBe(testProgramKeys.rangeVkeyCommitment);
    expect(harness.jobs.submitted).toHaveLength(1);
    const l1Block = await harness.deps.l1.getBlock({ blockNumber: BigInt(checkpoint.l1BlockNumber) });
    expect(checkpoint.l1BlockHash).toBe(l1Block.hash);

    // Prepare 2: three contiguous aggregates stored out of order, one after a gap, one already covered
    const prover = harness.deps.account.address;
    const ranges: [bigint, bigint][] = [
      [s + 2n * I, s + 3n * I],
      [s, s + I],
      [s + 4n * I, s + 5n * I],
      [s + I, s + 2n * I],
    ];
    const ids: string[] = [];
    for (const [a, b] of ranges)
      ids.push(
        await storeAggregateMessage(harness, await aggregateResultFor(harness.l2, a, b, checkpoint, prover)),
      );
    // No output root is provable below the starting block on anvil (its genesis header carries the
    // empty-trie stateRoot): the covered (0, s] aggregate reuses the (s, s+I] roots; the proposer
    // settles a covered message by its key alone.
    const covered =
      s > 0n
        ? await storeAggregateMessage(harness, {
            ...(await aggregateResultFor(harness.l2, s, s + I, checkpoint, prover)),
            start: '0',
            end: String(s),
          })
        : undefined;
    const indexBefore = await oracleRead(chains(), 'latestOutputIndex');
    // Act 2
    const second = await runProposer({ ...harness.deps, invocationId: 'second' });
    // Assess 2
    expect(second.proposed.map((p) => p.l2BlockNumber)).toEqual([s + I, s + 2n * I, s + 3n * I]);
    expect(second.waiting).toEqual([ids[2]]);
    expect(second.skipped).toEqual(covered === undefined ? [] : [covered]);
    expect(second.refused).toEqual([]);
    expect(second.latestBlockNumber).toBe(s + 3n * I);
    for (let k = 1n; k <= 3n; k++) {
      const output = await harness.deps.l1.readContract({
        address: chains().oracleAddress,
        abi: opSuccinctL2OutputOracleAbi,
        functionName: 'getL2Output',
        args: [indexBefore + k],
      });
      expect(output.l2BlockNumber).toBe(s + k * I);
      expect(output.outputRoot).toBe((await computeOutputRoot(harness.l2, s + k * I)).outputRoot);
    }
    for (const id of [ids[0], ids[1], ids[3]])
      expect((await harness.store.get(id!))?.status).toBe('proposed');
    expect((await harness.store.get(`proposal/${s + 3n * I}`))?.status).toBe('proposed');
    expect(harness.metrics.total('Proposals')).toBe(3);
    expect(harness.metrics.points.filter((p) => p.name === 'ProposedHeadBlock').at(-1)?.value).toBe(
      Number(s + 3n * I),
    );

    // Act 3: a repeated invocation sends nothing; a new group reuses the stored checkpoint
    const nonce = await proposerNonce(chains());
    await storeAwaitingGroup(harness, s + 3n * I, s + 4n * I);
    const list = vi.spyOn(harness.store, 'list');
    const get = vi.spyOn(harness.store, 'get');
    const getMany = vi.spyOn(harness.store, 'getMany');
    const readContract = vi.spyOn(harness.deps.l1, 'readContract');
    const third = await runProposer({ ...harness.deps, invocationId: 'third' });
    // Assess 3: the run lists no checkpoints (the second run's release handed its listing over) and
    // checks the reused one against the oracle once (its reconciliation's check serves the choice)
    expect(third.proposed).toEqual([]);
    expect(third.checkpoint).toMatchObject({ reused: true, l1BlockHash: checkpoint.l1BlockHash });
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(list.mock.calls.filter(([kind]) => kind === 'checkpoint')).toEqual([]);
    const oracleChecks = readContract.mock.calls.filter(
      ([call]) => call.functionName === 'historicBlockHashes',
    );
    expect(oracleChecks).toHaveLength(1);
    // The lease its create found, the pause switch and the wait item: one batch read, no GetItem each
    const runReads = [signerLeaseId(prover), pauseId({ kind: 'proposer' }), proposerWaitId(prover)];
    expect(getMany.mock.calls.filter(([ids]) => ids.join(',') === runReads.join(','))).toHaveLength(1);
    expect(get.mock.calls.filter(([id]) => runReads.includes(id))).toEqual([]);
    // The mined checkpoint tx's checkpoint is in the run's list: no GetItem to see it is stored
    expect(get.mock.calls.filter(([id]) => id.startsWith('checkpoint/'))).toEqual([]);
  });
});

describe('runProposer: checkpoint reuse', () => {
  const chains = useProposerChains();

  it('does not reuse a checkpoint older than the L1 head a waiting range was proven against', async () => {
    // Prepare: a first group gets a checkpoint; then L1 moves on and a range is proven at the new head
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 2n * I);
    const harness = proposerHarness(chains());
    await storeAwaitingGroup(harness, s, s + I);
    const first = checkpointOf(await runProposer(harness.deps));
    const l1 = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    await l1.mine({ blocks: 3 });
    const provenAt = await harness.deps.l1.getBlock({ blockTag: 'latest' });
    const groupId = await storeAwaitingGroup(harness, s + I, s + 2n * I, provenAt.hash);
    // Act
    const second = await runProposer({ ...harness.deps, invocationId: 'second' });
    // Assess: a fresh checkpoint at or after the range's L1 head, handed to the group
    expect(BigInt(first.l1BlockNumber)).toBeLessThan(provenAt.number);
    expect(second.checkpoint?.reused).toBe(false);
    expect(second.checkpoint?.l1BlockNumber).toBeGreaterThanOrEqual(provenAt.number);
    expect(second.groupsSubmitted).toEqual([groupId]);
    expect((await harness.store.get(groupId))?.data.checkpoint).toEqual({
      l1BlockNumber: second.checkpoint?.l1BlockNumber.toString(),
      l1BlockHash: second.checkpoint?.l1BlockHash,
    });
  });
});

describe('runProposer: a checkpoint mined after its run ended', () => {
  const chains = useProposerChains();

  it('is stored and used by the next run instead of sending another checkpoint', async () => {
    // Prepare: the checkpoint tx is still in the mempool at the first run's deadline
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 2n * I);
    const harness = proposerHarness(chains());
    const groupId = await storeAwaitingGroup(harness, s, s + I);
    const l1 = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    const nonceBefore = await proposerNonce(chains());
    await l1.setAutomine(false);
    let first: Awaited<ReturnType<typeof runProposer>>;
    try {
      first = await runProposer({ ...harness.deps, deadline: Date.now() + 1_500 });
      await l1.mine({ blocks: 1 });
    } finally {
      await l1.setAutomine(true);
    }
    // L1 moves on, so a new checkpoint would aim at a different block
    await l1.mine({ blocks: 3 });
    const sent = first.unfinishedTx;
    // Act
    const second = await runProposer({ ...harness.deps, invocationId: 'second' });
    // Assess: one checkpoint tx in all, its block stored and handed to the group
    expect(first.groupsSubmitted).toEqual([]);
    expect(sent).toMatchObject({ status: 'pending' });
    expect(second.checkpoint?.reused).toBe(true);
    expect(second.groupsSubmitted).toEqual([groupId]);
    expect(await proposerNonce(chains())).toBe(nonceBefore + 1);
    const stored = await harness.store.list('checkpoint', 'stored');
    expect(stored.map((item) => item.id)).toEqual([`checkpoint/${second.checkpoint?.l1BlockNumber}`]);
    expect(stored[0]?.data.txHash).toBe(sent?.status === 'pending' ? sent.hash : 'no pending tx');
  });
});
