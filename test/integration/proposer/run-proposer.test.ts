import { createServer } from 'node:net';
import { createTestClient, type Hex, http, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import type { L1Checkpoint } from '../../../lambdas/core/executor/aggregate-contract.js';
import { sortKeyOf } from '../../../lambdas/core/messages/ids.js';
import { ProposerNotApprovedError } from '../../../lambdas/proposer/errors.js';
import type { ProposerRunReport } from '../../../lambdas/proposer/proposer-deps.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { useDevChains } from '../../support/chains/with-dev-chains.js';
import {
  aggregateResultFor,
  completeAggregateJob,
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  proposerTestConfig,
  SUBMISSION_INTERVAL,
  storeAggregateMessage,
  storeAwaitingGroup,
} from './proposer-fixture.js';

const I = BigInt(SUBMISSION_INTERVAL);
const chainOptions = { submissionInterval: SUBMISSION_INTERVAL };

function checkpointOf(report: ProposerRunReport): L1Checkpoint {
  if (report.checkpoint === undefined) throw new Error('the run stored no checkpoint');
  return {
    l1BlockNumber: report.checkpoint.l1BlockNumber.toString(),
    l1BlockHash: report.checkpoint.l1BlockHash,
  };
}

async function proposerNonce(chains: DevChains): Promise<number> {
  const { deps } = proposerHarness(chains);
  return deps.l1.getTransactionCount({ address: deps.account.address });
}

async function oracleRead<const F extends 'latestBlockNumber' | 'latestOutputIndex'>(
  chains: DevChains,
  functionName: F,
) {
  const { deps } = proposerHarness(chains);
  return deps.l1.readContract({
    address: chains.oracleAddress,
    abi: opSuccinctL2OutputOracleAbi,
    functionName,
  });
}

/** Runs the proposer once with one awaiting group so that it stores a checkpoint. */
async function checkpointThroughGroup(harness: ProposerHarness, start: bigint): Promise<L1Checkpoint> {
  await storeAwaitingGroup(harness, start, start + I);
  return checkpointOf(await runProposer(harness.deps));
}

describe('runProposer: checkpoints and ordered proposals', () => {
  const chains = useDevChains(chainOptions);

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
    const third = await runProposer({ ...harness.deps, invocationId: 'third' });
    // Assess 3
    expect(third.proposed).toEqual([]);
    expect(third.checkpoint).toMatchObject({ reused: true, l1BlockHash: checkpoint.l1BlockHash });
    expect(await proposerNonce(chains())).toBe(nonce);
  });
});

describe('runProposer: checkpoint reuse', () => {
  const chains = useDevChains(chainOptions);

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

describe('runProposer: refusals', () => {
  const chains = useDevChains(chainOptions);

  it('refuses an aggregate proven under another aggregation vkey, naming both values', async () => {
    // Prepare
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 2n * I);
    const harness = proposerHarness(chains());
    const checkpoint = await checkpointThroughGroup(harness, s);
    const otherVkey = keccak256(toHex('some other aggregation program'));
    const id = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, s, s + I, checkpoint, harness.deps.account.address, {
        aggregationVkey: otherVkey,
      }),
    );
    const nonce = await proposerNonce(chains());
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'vkey' });
    // Assess
    expect(report.proposed).toEqual([]);
    expect(report.refused).toHaveLength(1);
    expect(report.refused[0]?.messageId).toBe(id);
    expect(report.refused[0]?.reason).toContain(otherVkey);
    expect(report.refused[0]?.reason).toContain(testProgramKeys.aggregationVkey);
    expect((await harness.store.get(id))?.status).toBe('pending');
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(harness.metrics.points).toContainEqual(
      expect.objectContaining({ name: 'Proposals', dimensions: { outcome: 'refused' } }),
    );
  });

  it('reports the decoded revert reason of a proposal the oracle rejects', async () => {
    // Prepare: non-empty proof bytes, which the mock verifier refuses
    const harness = proposerHarness(chains());
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), latest + I);
    const checkpoint = await checkpointThroughGroup(harness, latest);
    const id = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, latest, latest + I, checkpoint, harness.deps.account.address, {
        proof: '0x01',
      }),
    );
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'revert' });
    // Assess
    expect(report.refused).toEqual([
      {
        messageId: id,
        reason: 'proposeL2Output reverted in estimation: SP1MockVerifier: proof bytes must be empty',
      },
    ]);
    expect((await harness.store.get(`proposal/${latest + I}`))?.status).toBe('failed');
  });

  it('refuses to run when the signer is not an approved proposer', async () => {
    // Prepare
    const harness = proposerHarness(chains(), { account: createLocalAccount(2) });
    // Act
    const running = runProposer(harness.deps);
    // Assess
    await expect(running).rejects.toBeInstanceOf(ProposerNotApprovedError);
    await expect(running).rejects.toThrow(createLocalAccount(2).address);
  });
});

describe('runProposer: faults', () => {
  const chains = useDevChains(chainOptions);

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
    expect(await harness.store.get(staleId)).toBeUndefined();
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
