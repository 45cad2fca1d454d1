import { describe, expect, it } from 'vitest';
import { readPause } from '../../../../../lambdas/core/control/pause-switch.js';
import { sortKeyOf } from '../../../../../lambdas/core/messages/ids.js';
import { finishJob } from '../../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { messageData } from '../../../../../lambdas/core/orchestrator/messages/message-records.js';
import { recordMessage } from '../../../../../lambdas/core/orchestrator/messages/record-message.js';
import {
  heldByOf,
  supersedeHeldMember,
} from '../../../../../lambdas/core/orchestrator/messages/supersede-held-member.js';
import { PROPOSAL_ITEM_KIND } from '../../../../../lambdas/core/orchestrator/rewind/proposed-head.js';
import { METRIC } from '../../../../../lambdas/core/ports/telemetry.js';
import { PROPOSAL_KIND } from '../../../../../lambdas/proposer/proposal-records.js';
import { WATCHER_CURSOR_ID } from '../../../../../lambdas/watcher/watch-l2-blocks.js';
import { membershipOf } from '../group-invariants.js';
import { aggregateResult, hashOf, TEST_PROVER } from '../orchestrator-fixture.js';
import { FakeL2, RewindRig, safeConfig } from './l2-rewind-fixture.js';

/** Blocks 1…10 enqueued and delivered: range/0-5 and range/5-10 running (devnet: groupSize 5). */
async function tenBlocks(config = safeConfig()): Promise<RewindRig> {
  const rig = new RewindRig(new FakeL2(10n), config);
  await rig.watch();
  await rig.deliver();
  return rig;
}

/** Both ranges proven, their proofs delivered, aggregate/0-10 running under an L1 checkpoint. */
async function aggregateRunning(): Promise<RewindRig> {
  const rig = await tenBlocks();
  expect(await rig.proveRange(0n, 5n)).toBe('succeeded');
  expect(await rig.proveRange(5n, 10n)).toBe('succeeded');
  await rig.deliver();
  const grant = {
    checkpoint: { l1BlockNumber: '77', l1BlockHash: hashOf(77n, 3) },
    rangeVkey: hashOf(7n, 2),
    proverAddress: TEST_PROVER,
  };
  expect(await giveCheckpoint(rig.t.deps, 'aggregate/0-10', grant)).toBe('submitted');
  return rig;
}

function gaugeWith(rig: RewindRig, name: string, dimensions: Record<string, string>) {
  return rig.t.metrics.points
    .filter(
      (p) =>
        p.kind === 'gauge' && p.name === name && JSON.stringify(p.dimensions) === JSON.stringify(dimensions),
    )
    .at(-1)?.value;
}

describe('L2 rewind (finality safe)', () => {
  it('shallow reorg with nothing proven: rewinds to the ancestor and re-enqueues the canonical blocks', async () => {
    // Prepare: blocks 1…3 pending (no group yet); the L2 reorganises above block 1.
    const rig = new RewindRig(new FakeL2(3n));
    await rig.watch();
    await rig.deliver();
    rig.l2.reorg(1n, 4n);

    // Act
    const detected = await rig.watch();
    const next = await rig.watch();
    await rig.deliver();

    // Assess
    expect(detected).toMatchObject({ reorgAt: 4n, rewind: { kind: 'rewound', ancestor: 1n, depth: 2n } });
    expect(next).toMatchObject({ enqueuedHead: 4n, enqueued: 3 });
    for (const n of [2n, 3n, 4n]) {
      const item = (await rig.t.store.get(`blocks/${n}`))!;
      expect(item.status).toBe('pending');
      expect((item.data.envelope as { payload: { hash: string } }).payload.hash).toBe(rig.l2.hash(n));
    }
    expect(rig.t.metrics.points).toContainEqual({
      kind: 'count',
      name: METRIC.reorgsDetected,
      value: 1,
      dimensions: { chain: 'l2' },
    });
    expect(gaugeWith(rig, METRIC.reorgDepthBlocks, { chain: 'l2' })).toBe(2);
    expect(gaugeWith(rig, METRIC.reorgHalted, { chain: 'l2' })).toBe(0);
    expect(rig.t.metrics.total(METRIC.reorgWorkInvalidated)).toBe(2);
    expect(await rig.t.store.get('rewind/l2')).toBeUndefined();
  });

  it('reorg with range proofs done and an aggregate running: invalidates what is above, keeps what is below', async () => {
    // Prepare
    const rig = await aggregateRunning();
    rig.l2.reorg(7n, 12n);

    // Act
    const detected = await rig.watch();
    const statusesAfterRewind = {
      rangeKept: await rig.status('range/0-5'),
      rangeGone: await rig.status('range/5-10'),
      aggregate: await rig.status('aggregate/0-10'),
      keptProof: await rig.status('range-proofs/0-5'),
      goneProof: await rig.status('range-proofs/5-10'),
      block7: await rig.status('blocks/7'),
      block8: await rig.status('blocks/8'),
    };
    await rig.watch();
    await rig.deliver();

    // Assess
    expect(detected.rewind).toEqual({ kind: 'rewound', ancestor: 7n, depth: 3n });
    expect(statusesAfterRewind).toEqual({
      rangeKept: 'succeeded',
      rangeGone: 'invalidated',
      aggregate: 'invalidated',
      keptProof: 'pending',
      goneProof: 'invalidated',
      block7: 'pending',
      block8: 'invalidated',
    });
    const reformed = (await rig.t.store.get('range/5-10'))!;
    expect(reformed.status).toBe('running');
    expect(reformed.data).toMatchObject({ attempt: 2, jobName: 'range-5-10-a2' });
    expect(rig.t.jobs.submitted.map((j) => j.name)).toContain('range-5-10-a2');
    expect((await rig.t.store.get('cursor/aggregate'))!.data.position).toBe('0');
  });

  it('re-proves on the canonical blocks: the new range proof replaces the invalidated one, the aggregate forms again', async () => {
    // Prepare: the rewind of the aggregate-running case, the canonical blocks delivered.
    const rig = await aggregateRunning();
    rig.l2.reorg(7n, 12n);
    await rig.watch();
    await rig.watch();
    await rig.deliver();

    // Act: the re-formed range/5-10 (attempt 2) proves, its proof is delivered.
    const proven = await rig.proveRange(5n, 10n, 2);
    await rig.deliver();

    // Assess
    expect(proven).toBe('succeeded');
    const proof = (await rig.t.store.get('range-proofs/5-10'))!;
    expect(proof.status).toBe('collected');
    expect((proof.data.envelope as { attempt: number }).attempt).toBe(2);
    const aggregate = (await rig.t.store.get('aggregate/0-10'))!;
    expect(aggregate.status).toBe('awaiting-checkpoint');
    expect(aggregate.data).toMatchObject({
      attempt: 2,
      memberIds: ['range-proofs/0-5', 'range-proofs/5-10'],
    });
  });

  it('lets go of a member the invalidated aggregate held while its range was re-proven in place', async () => {
    // Prepare: both ranges proven and collected into aggregate/0-10, which waits for a checkpoint;
    // range/0-5's l1Head left L1, so its proof is superseded and held by the aggregate group.
    const rig = await tenBlocks();
    await rig.proveRange(0n, 5n);
    await rig.proveRange(5n, 10n);
    await rig.deliver();
    expect(await rig.status('aggregate/0-10')).toBe('awaiting-checkpoint');
    await supersedeHeldMember(rig.t.store, 'range-proofs/0-5', 'aggregate/0-10');
    rig.l2.reorg(7n, 12n);

    // Act: the rewind invalidates the aggregate group; the range's re-proof then arrives.
    await rig.watch();
    const released = (await rig.t.store.get('range-proofs/0-5'))!;
    const reproof = await recordMessage(rig.t.store, {
      id: released.id,
      kind: released.kind,
      sortKey: released.sortKey,
      data: { ...messageData(released), envelope: { ...messageData(released).envelope, attempt: 2 } },
    });

    // Assess: not held by the invalidated group any more, so the re-proof is pending to be collected again.
    expect(await rig.status('aggregate/0-10')).toBe('invalidated');
    expect(heldByOf(released)).toBeUndefined();
    expect(reproof).toBe('newer-attempt');
    expect(await rig.status('range-proofs/0-5')).toBe('pending');
  });

  it('ignores a late job result of an invalidated group and never publishes it for the new branch', async () => {
    // Prepare: range/5-10 and aggregate/0-10 running when the reorg lands.
    const rig = await aggregateRunning();
    rig.l2.reorg(7n, 12n);
    await rig.watch();
    await rig.t.blobs.putJson('jobs/aggregate/0-10/a1/output.json', aggregateResult(77n));

    // Act
    const lateAggregate = await finishJob(rig.t.deps, {
      stage: 'aggregate',
      groupId: 'aggregate/0-10',
      attempt: 1,
      jobName: 'aggregate-0-10-a1',
      status: 'SUCCEEDED',
    });
    await rig.watch();
    await rig.deliver();
    const lateRange = await rig.proveRange(5n, 10n, 1);

    // Assess
    expect([lateAggregate, lateRange]).toEqual(['ignored', 'ignored']);
    expect(rig.t.bus.onTopic('aggregate-proofs')).toEqual([]);
    expect(
      rig.t.bus
        .onTopic('range-proofs')
        .filter((e) => e.key === '5-10')
        .map((e) => e.attempt),
    ).toEqual([1]);
    expect((await rig.t.store.get('range/5-10'))!.status).toBe('running');
  });

  it('halts below the proposed head: pauses the proposer, rewinds nothing', async () => {
    // Prepare: block 10 is proposed; the L2 reorganises above block 7.
    const rig = await tenBlocks();
    await rig.t.store.create({
      id: 'proposal/10',
      kind: PROPOSAL_ITEM_KIND,
      status: 'proposed',
      sortKey: sortKeyOf(10n),
      data: {},
    });
    rig.l2.reorg(7n, 12n);
    const cursorBefore = (await rig.t.store.get(WATCHER_CURSOR_ID))!.data;

    // Act
    const outcome = await rig.watch();

    // Assess
    expect(outcome.rewind).toMatchObject({ kind: 'halted' });
    const pause = await readPause(rig.t.store, { kind: 'proposer' });
    expect(pause).toMatchObject({ setter: 'pipeline' });
    expect(pause?.reason).toMatch(/^l2-reorg-below-proposed: .*ancestor 7 .*proposed head 10/);
    expect(gaugeWith(rig, METRIC.reorgHalted, { chain: 'l2' })).toBe(1);
    expect(rig.t.logger.at('error').map((e) => e.message)).toContainEqual(expect.stringMatching(/7.*10/));
    expect((await rig.t.store.get(WATCHER_CURSOR_ID))!.data).toEqual(cursorBefore);
    expect(membershipOf(rig.t.store.all(), 'range', 'blocks/8')).toBe('member');
  });

  it('halts a reorg deeper than watcher.maxReorgDepth: pauses the proposer, rewinds nothing', async () => {
    // Prepare: the ancestor (5) is 5 blocks below the cursor (10); the walk looks 2 deep.
    const config = safeConfig();
    const rig = await tenBlocks({ ...config, watcher: { ...config.watcher, maxReorgDepth: 2 } });
    rig.l2.reorg(5n, 12n);

    // Act
    const outcome = await rig.watch();

    // Assess
    expect(outcome.rewind).toMatchObject({ kind: 'halted' });
    expect((await readPause(rig.t.store, { kind: 'proposer' }))?.reason).toMatch(
      /^l2-reorg-deeper-than-max: no block from 10 down to 8 /,
    );
    expect(gaugeWith(rig, METRIC.reorgHalted, { chain: 'l2' })).toBe(1);
    expect((await rig.t.store.get(WATCHER_CURSOR_ID))!.data.position).toBe('10');
  });

  it('halts on a finalized block that changed: the node is broken, nothing rewound', async () => {
    // Prepare
    const rig = await tenBlocks(safeConfig('finalized'));
    rig.l2.reorg(7n, 12n);

    // Act
    const outcome = await rig.watch();

    // Assess
    expect(outcome.rewind).toMatchObject({ kind: 'halted' });
    expect(rig.t.logger.at('error').map((e) => e.message)).toContainEqual(
      expect.stringContaining('the L2 node is broken'),
    );
    expect(gaugeWith(rig, METRIC.reorgHalted, { chain: 'l2' })).toBe(1);
    expect((await rig.t.store.get(WATCHER_CURSOR_ID))!.data.position).toBe('10');
    expect(await rig.status('range/5-10')).toBe('running');
    // The wait is stored where a person looks (status, dashboard, progress line): the watcher is
    // paused by the pipeline until someone resumes it; the proposer goes on with what is proven.
    expect(await readPause(rig.t.store, { kind: 'watcher' })).toMatchObject({
      setter: 'pipeline',
      reason: expect.stringMatching(/^l2-finalized-block-changed: .*the L2 node is broken/),
    });
    expect(await readPause(rig.t.store, { kind: 'proposer' })).toBeUndefined();
  });

  it('the proposal kind it reads is the proposer’s', () => {
    // Prepare / Act / Assess
    expect(PROPOSAL_ITEM_KIND).toBe(PROPOSAL_KIND);
  });
});

describe('L2 rewind crash safety', () => {
  /**
   * Rewind of aggregateRunning() at 7, crashed at write `crashAt` of the run that finds it, then two
   * more watcher runs (the first may find the reorg again when the crash came before the intent) and
   * a delivery.
   */
  async function run(crashAt?: number) {
    const rig = await aggregateRunning();
    rig.l2.reorg(7n, 12n);
    let writes = 0;
    rig.t.store.beforeWrite = () => {
      writes++;
      if (writes === crashAt) throw new Error(`crash at write ${crashAt}`);
    };
    const first = await rig.watch().then(
      () => 'ran',
      (error: Error) => error.message,
    );
    rig.t.store.beforeWrite = undefined;
    await rig.watch();
    await rig.watch();
    await rig.deliver();
    return { rig, writes, first };
  }

  it('finishes a rewind crashed at any write on the next watcher run, to the same state', async () => {
    // Prepare
    const reference = await run();
    const expected = reference.rig.statuses();
    expect(reference.writes).toBeGreaterThan(10);

    // Act / Assess: a crash at each write of the rewind run, then the next run finishes it.
    for (let crashAt = 1; crashAt <= reference.writes; crashAt++) {
      const crashed = await run(crashAt);
      expect(crashed.first).toBe(`crash at write ${crashAt}`);
      expect(crashed.rig.statuses(), `crash at write ${crashAt}`).toEqual(expected);
    }
  });
});
