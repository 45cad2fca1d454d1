import { createTestClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { readOutputAtBlock } from '../../../lambdas/chain/oracle-reads.js';
import type { PipelineConfig } from '../../../lambdas/core/config/schema.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import {
  aggregateResultFor,
  completeAggregateJob,
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  proposerTestConfig,
  storeAggregateMessage,
} from './proposer-fixture.js';
import {
  checkpointOf,
  checkpointThroughGroup,
  I,
  oracleRead,
  resultsFromHead,
  useProposerChains,
} from './run-proposer-fixture.js';

describe('runProposer: a proposal an L1 reorg took off the chain', () => {
  const chains = useProposerChains();
  const anvil = () => createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });

  /** Back to `snapshot`, then `blocks` new blocks with other timestamps, so the new branch differs. */
  async function reorgTo(harness: ProposerHarness, snapshot: `0x${string}`, blocks: number): Promise<void> {
    const test = anvil();
    await test.revert({ id: snapshot });
    if (blocks === 0) return;
    const tip = await harness.deps.l1.getBlock({ blockTag: 'latest' });
    await test.setNextBlockTimestamp({ timestamp: tip.timestamp + 1000n });
    await test.mine({ blocks });
  }

  async function rootOnOracle(harness: ProposerHarness, l2Block: bigint) {
    return (await readOutputAtBlock(harness.deps.l1, chains().oracleAddress, l2Block))?.outputRoot;
  }

  /** The `ReorgWorkInvalidated` counts by `kind`. */
  function invalidatedByKind(harness: ProposerHarness): Record<string, number> {
    const byKind: Record<string, number> = {};
    for (const p of harness.metrics.points) {
      if (p.name !== METRIC.reorgWorkInvalidated) continue;
      const kind = p.dimensions?.kind ?? '';
      byKind[kind] = (byKind[kind] ?? 0) + p.value;
    }
    return byKind;
  }

  function withConfirmations(confirmations: number): PipelineConfig {
    const config = proposerTestConfig(chains());
    return { ...config, proposer: { ...config.proposer, confirmations } };
  }

  it('proposes the same block again with the same signed tx; the oracle ends with the right root', async () => {
    // Prepare: checkpoint stored, then the proposal mined and recorded, then reorged out
    const harness = proposerHarness(chains());
    const { head, results } = await resultsFromHead(chains(), harness);
    const messageId = await storeAggregateMessage(harness, results[0]!);
    const snapshot = await anvil().snapshot();
    const first = await runProposer({ ...harness.deps, invocationId: 'first' });
    const oldTx = first.proposed[0]?.txHash;
    expect(first.proposed.map((p) => p.l2BlockNumber)).toEqual([head + I]);
    await reorgTo(harness, snapshot, 2);
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head);
    // Act
    await runProposer({ ...harness.deps, invocationId: 'after-reorg' });
    // Assess
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head + I);
    expect(await rootOnOracle(harness, head + I)).toBe(results[0]!.outputs.claimRoot);
    const proposal = await harness.store.get(`proposal/${head + I}`);
    expect(proposal).toMatchObject({ status: 'proposed', data: { messageId, reorgedTxHash: oldTx } });
    expect(String(proposal?.data.reason)).toMatch(/left the canonical L1 chain/);
    expect((await harness.store.get(messageId))?.status).toBe('proposed');
    expect((await harness.deps.l1.getTransactionReceipt({ hash: oldTx! })).status).toBe('success');
    expect(harness.metrics.total(METRIC.reproposals)).toBe(1);
    expect(harness.metrics.total(METRIC.reorgsDetected)).toBe(1);
    expect(invalidatedByKind(harness)).toEqual({ proposal: 1 });
  });

  it('does not count a re-sent proposal as proposed while the oracle holds it above `confirmations`', async () => {
    // Prepare: proposed with 1 confirmation, reorged out; the runs below need 2
    const harness = proposerHarness(chains());
    const { head, results } = await resultsFromHead(chains(), harness);
    const messageId = await storeAggregateMessage(harness, results[0]!);
    const snapshot = await anvil().snapshot();
    expect((await runProposer({ ...harness.deps, invocationId: 'first' })).proposed).toHaveLength(1);
    await reorgTo(harness, snapshot, 2);
    const deep = { ...harness.deps, config: withConfirmations(2) };
    // Act 1: the same tx is mined again at the tip, one confirmation short
    const shallow = await runProposer({ ...deep, invocationId: 'shallow', deadline: Date.now() + 3000 });
    // Assess 1
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head + I);
    expect(shallow.unfinishedTx?.status).toBe('pending');
    expect((await harness.store.get(`proposal/${head + I}`))?.status).toBe('reorged');
    expect((await harness.store.get(messageId))?.status).toBe('pending');
    // Act 2: one more block, and it is final
    await anvil().mine({ blocks: 1 });
    await runProposer({ ...deep, invocationId: 'confirmed' });
    // Assess 2
    expect((await harness.store.get(`proposal/${head + I}`))?.status).toBe('proposed');
    expect((await harness.store.get(messageId))?.status).toBe('proposed');
  });

  it('reopens the group when the reorg also took the checkpoint tx, and proposes the re-proof', async () => {
    // Prepare: checkpoint a block the reorg replaces, propose against it, then reorg both txs out
    const harness = proposerHarness(chains());
    const prover = harness.deps.account.address;
    const snapshot = await anvil().snapshot();
    await anvil().mine({ blocks: 1 });
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), latest + I);
    const old = await checkpointThroughGroup(harness, latest);
    const groupId = `aggregate/${latest}-${latest + I}`;
    const stale = await aggregateResultFor(harness.l2, latest, latest + I, old, prover);
    const messageId = await completeAggregateJob(harness, harness.jobs.submitted.at(-1)!, stale);
    expect((await runProposer({ ...harness.deps, invocationId: 'first' })).proposed).toHaveLength(1);
    // The new branch has no blocks yet: the re-sent checkpoint tx lands in its own block and reverts
    await reorgTo(harness, snapshot, 0);
    // Act 1
    const after = await runProposer({ ...harness.deps, invocationId: 'after-reorg' });
    // Assess 1: the proposal is pending again, refused as stale, its group waits for a new checkpoint
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(latest);
    expect((await harness.store.get(`proposal/${latest + I}`))?.status).toBe('reorged');
    expect(after.refused.map((r) => [r.messageId, r.groupReopen])).toEqual([[messageId, 'reopened']]);
    expect((await harness.store.get(groupId))?.status).toBe('awaiting-checkpoint');
    expect((await harness.store.get(`checkpoint/${old.l1BlockNumber}`))?.status).toBe('invalidated');
    expect(invalidatedByKind(harness)).toEqual({ proposal: 1, checkpoint: 1 });
    expect(harness.metrics.total(METRIC.reorgsDetected)).toBe(1);
    // Act 2: a new checkpoint, the group proven again, and proposed
    const rerun = await runProposer({ ...harness.deps, invocationId: 'reprove' });
    const fresh = checkpointOf(rerun);
    const reproven = await aggregateResultFor(harness.l2, latest, latest + I, fresh, prover);
    await completeAggregateJob(harness, harness.jobs.submitted.at(-1)!, reproven);
    const final = await runProposer({ ...harness.deps, invocationId: 'propose-reproven' });
    // Assess 2
    expect(fresh.l1BlockHash).not.toBe(old.l1BlockHash);
    expect(final.proposed.map((p) => p.l2BlockNumber)).toEqual([latest + I]);
    expect(await rootOnOracle(harness, latest + I)).toBe(reproven.outputs.claimRoot);
    expect((await harness.store.get(`proposal/${latest + I}`))?.status).toBe('proposed');
    expect((await harness.store.get(messageId))?.status).toBe('proposed');
    expect(harness.metrics.total(METRIC.reproposals)).toBe(1);
  });
});
