import { createTestClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import type { RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../lambdas/core/orchestrator/group/finish-job.js';
import { groupItem, newGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import { messageData } from '../../../lambdas/core/orchestrator/messages/message-records.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { proposerHarness, storeAwaitingGroup } from './proposer-fixture.js';
import { I, oracleRead, useProposerChains } from './run-proposer-fixture.js';

describe('runProposer: a range l1Head reorged out of L1 before the aggregate job (anvil)', () => {
  const chains = useProposerChains();

  it('re-proves only that range in place, holds the checkpoint back, then checkpoints the group once it is current', async () => {
    // Prepare: range/s-(s+I) succeeded, proven against L1 block B; its aggregate group waits
    const harness = proposerHarness(chains());
    const test = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    const s = await oracleRead(chains(), 'latestBlockNumber');
    const snapshot = await test.snapshot();
    await test.mine({ blocks: 1 });
    const provenAt = await harness.deps.l1.getBlock({ blockTag: 'latest' });
    const job = { inputKey: 'jobs/in.json', outputKey: 'jobs/out.json', claimedAt: new Date().toISOString() };
    await harness.store.create({
      ...groupItem({
        ...newGroup('range', s, s + I, []),
        status: 'succeeded',
        job: { ...job, name: 'range-a1' },
      }),
    });
    const aggregateId = await storeAwaitingGroup(harness, s, s + I, provenAt.hash);
    const memberId = `range-proofs/${s}-${s + I}`;
    // The L1 reorg: back before B, then a different chain of the same height and more
    await test.revert({ id: snapshot });
    await test.setNextBlockTimestamp({ timestamp: provenAt.timestamp + 1000n });
    await test.mine({ blocks: 3 });
    expect((await harness.deps.l1.getBlock({ blockNumber: provenAt.number })).hash).not.toBe(provenAt.hash);

    // Act 1
    const first = await runProposer({ ...harness.deps, invocationId: 'stale-range' });
    // Assess 1: no checkpoint for the group; the range runs again (attempt 2), its proof superseded
    expect(first.groupsSubmitted).toEqual([]);
    expect(first.checkpoint).toBeUndefined();
    const reproving = await harness.store.get(`range/${s}-${s + I}`);
    expect(reproving).toMatchObject({
      status: 'running',
      data: { attempt: 2, jobName: `range-${s}-${s + I}-a2` },
    });
    expect((await harness.store.get(memberId))?.status).toBe('superseded');
    expect((await harness.store.get(aggregateId))?.data.waitReason).toMatch(/re-proving them in place/);
    expect(harness.metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.reorgsDetected, dimensions: { chain: 'l1' } }),
    );
    expect(harness.metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.reorgWorkInvalidated, value: 1, dimensions: { kind: 'proof' } }),
    );

    // Act 2: the re-proof (against the canonical head) lands
    const canonical = await harness.deps.l1.getBlock({ blockTag: 'latest' });
    const old = messageData((await harness.store.get(memberId))!).envelope.payload as RangeResult;
    const reproof: RangeResult = { ...old, bootInfo: { ...old.bootInfo, l1Head: canonical.hash } };
    await harness.blobs.putJson(String(reproving?.data.outputKey), reproof);
    const publishedBefore = harness.bus.published.length;
    await finishJob(harness.orchestrator, {
      stage: 'range',
      groupId: `range/${s}-${s + I}`,
      attempt: 2,
      jobName: `range-${s}-${s + I}-a2`,
      status: 'SUCCEEDED',
    });
    for (const envelope of harness.bus.published.slice(publishedBefore))
      await dispatchMessage(harness.orchestrator, envelope);
    const second = await runProposer({ ...harness.deps, invocationId: 'current-again' });

    // Assess 2: the member is back in the same group; the group gets a checkpoint at or after its l1Head
    expect((await harness.store.get(memberId))?.status).toBe('collected');
    expect(second.groupsSubmitted).toEqual([aggregateId]);
    expect(second.checkpoint?.l1BlockNumber).toBeGreaterThanOrEqual(canonical.number);
  });
});
