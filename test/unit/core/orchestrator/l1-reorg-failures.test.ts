import { describe, expect, it } from 'vitest';
import { parseExecutorRequest } from '../../../../lambdas/core/executor/program-contracts.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { L1_REORG_RETRY_LIMIT } from '../../../../lambdas/core/orchestrator/group/retry-after-l1-reorg.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { hashOf } from './orchestrator-fixture.js';
import { collectedAggregate, GRANT, proveRange } from './range-reprove-fixture.js';

const FAILED = { stage: 'aggregate', groupId: 'aggregate/0-10', status: 'FAILED' } as const;

function grantAt(l1Block: bigint) {
  return { ...GRANT, checkpoint: { l1BlockNumber: l1Block.toString(), l1BlockHash: hashOf(l1Block, 3) } };
}

const checkpointGone = (l1Block: bigint) =>
  `aggregate program rejected its input [checkpoint-hash]: L1 block ${l1Block} hashes to ${hashOf(l1Block, 9)}, the checkpoint says ${hashOf(l1Block, 3)}`;

/**
 * Gives `aggregate/0-10` a checkpoint at `l1Block` and finishes its job `attempt` as refused by the
 * program because that checkpoint left L1 (the reason only in the stderr tail, as Batch reports it).
 */
async function refusedForGoneCheckpoint(
  t: Awaited<ReturnType<typeof collectedAggregate>>,
  attempt: number,
  l1Block: bigint,
) {
  expect(await giveCheckpoint(t.deps, 'aggregate/0-10', grantAt(l1Block))).toBe('submitted');
  return finishJob(t.deps, {
    ...FAILED,
    attempt,
    jobName: `aggregate-0-10-a${attempt}`,
    reason: 'Essential container in task exited',
    stderrTail: checkpointGone(l1Block),
  });
}

describe('aggregate job failures caused by an L1 reorg', () => {
  it('retries a job whose checkpoint left L1 under a NEW checkpoint, never counting it nor abandoning', async () => {
    // Prepare: devnet allows 2 attempts; the checkpoint is reorged out under three jobs in a row
    const t = await collectedAggregate();
    for (const [attempt, l1Block] of [
      [1, 1100n],
      [2, 1200n],
      [3, 1300n],
    ] as const) {
      // Act: the stderr tail carries the program's rejection (the Batch reason says nothing)
      const outcome = await refusedForGoneCheckpoint(t, attempt, l1Block);
      // Assess: back to the proposer for a new checkpoint, the stale grant dropped
      expect(outcome).toBe('retried');
      const group = (await t.store.get('aggregate/0-10'))!;
      expect(group).toMatchObject({ status: 'awaiting-checkpoint', data: { attempt: attempt + 1 } });
      expect(group.data.failures).toBeUndefined();
      expect(group.data.checkpoint).toBeUndefined();
    }
    // Act: the fourth checkpoint holds
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', grantAt(1400n))).toBe('submitted');
    // Assess: a new job name per attempt, each under its own checkpoint
    const jobs = t.jobs.submitted.filter((j) => j.groupId === 'aggregate/0-10').map((j) => j.name);
    expect(jobs).toEqual([
      'aggregate-0-10-a1',
      'aggregate-0-10-a2',
      'aggregate-0-10-a3',
      'aggregate-0-10-a4',
    ]);
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a4/input.json'),
    );
    expect(request).toMatchObject({ checkpoint: { l1BlockNumber: '1400' } });
    expect(t.metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.reorgWorkInvalidated, dimensions: { kind: 'checkpoint' } }),
    );
    expect(t.metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.reorgsDetected, dimensions: { chain: 'l1' } }),
    );
  });

  it('abandons, by name, a group whose L1 inputs leave L1 more than L1_REORG_RETRY_LIMIT times (an L1 node behind)', async () => {
    // Prepare
    const t = await collectedAggregate();
    const outcomes: string[] = [];
    // Act: every job is refused for its checkpoint
    for (let attempt = 1; attempt <= L1_REORG_RETRY_LIMIT + 1; attempt++) {
      outcomes.push(await refusedForGoneCheckpoint(t, attempt, BigInt(1000 + attempt * 100)));
    }
    // Assess: retried up to the limit, then abandoned with the reason a person needs
    expect(outcomes.slice(0, L1_REORG_RETRY_LIMIT).every((o) => o === 'retried')).toBe(true);
    expect(outcomes.at(-1)).toBe('abandoned');
    const group = (await t.store.get('aggregate/0-10'))!;
    expect(group.status).toBe('abandoned');
    const errors = t.logger.entries.filter((e) => e.level === 'error').map((e) => e.message);
    expect(errors).toContainEqual(expect.stringMatching(/L1 input left L1 .*check that the prover's L1 RPC/));
    expect(t.metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.groupAbandoned, dimensions: { stage: 'aggregate' } }),
    );
  });

  it('re-proves the range a foreign-l1-head failure names, then the aggregate runs with it', async () => {
    // Prepare
    const t = await collectedAggregate();
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    // Act
    const outcome = await finishJob(t.deps, {
      ...FAILED,
      attempt: 1,
      jobName: 'aggregate-0-10-a1',
      reason: `aggregate program rejected its input [foreign-l1-head]: range 5-10 l1Head ${hashOf(1000n)} is not in the L1 header chain 1000…1100 ending at the checkpointed block`,
    });
    // Assess: only range/5-10 is re-proven; the aggregate waits for it with its reason stored
    expect(outcome).toBe('retried');
    expect((await t.store.get('range/5-10'))!).toMatchObject({ status: 'running', data: { attempt: 2 } });
    expect((await t.store.get('range/0-5'))!).toMatchObject({ status: 'succeeded', data: { attempt: 1 } });
    expect((await t.store.get('range-proofs/5-10'))!.status).toBe('superseded');
    const waiting = (await t.store.get('aggregate/0-10'))!;
    expect(waiting).toMatchObject({ status: 'awaiting-checkpoint', data: { attempt: 2 } });
    expect(waiting.data.waitReason).toMatch(/range 5-10/);
    expect(waiting.data.failures).toBeUndefined();
    // Act: the re-proof lands, the proposer checkpoints again
    await proveRange(t, 5n, 10n, 2, 1150n);
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', grantAt(1200n))).toBe('submitted');
    // Assess
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a2/input.json'),
    );
    expect(request.program === 'aggregate' && request.ranges.map((r) => r.bootInfo.l1Head)).toEqual([
      hashOf(1000n),
      hashOf(1150n),
    ]);
  });

  it('still counts any other prover failure and keeps its grant', async () => {
    // Prepare
    const t = await collectedAggregate();
    expect(await giveCheckpoint(t.deps, 'aggregate/0-10', GRANT)).toBe('submitted');
    // Act
    const outcome = await finishJob(t.deps, {
      ...FAILED,
      attempt: 1,
      jobName: 'aggregate-0-10-a1',
      reason:
        'aggregate program rejected its input [checkpoint-block]: the L1 header chain ends at block 1099',
    });
    // Assess
    expect(outcome).toBe('retried');
    expect((await t.store.get('aggregate/0-10'))!).toMatchObject({
      status: 'running',
      data: { attempt: 2, failures: 1, checkpoint: { l1BlockNumber: '1100' } },
    });
  });
});
