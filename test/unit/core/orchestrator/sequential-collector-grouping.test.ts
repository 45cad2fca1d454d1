import { describe, expect, it } from 'vitest';
import { SequentialCollector } from '../../../../lambdas/core/orchestrator/collector/sequential-collector.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { groupsOf, membershipOf } from './group-invariants.js';
import { blockEnvelope, devnetConfig, makeDeps, rangeProofEnvelope } from './orchestrator-fixture.js';
import { blocks } from './sequential-collector-fixture.js';

describe('SequentialCollector (block keys)', () => {
  it('forms groups of groupSize contiguous blocks starting at the cursor (startBlock)', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    for (const n of blocks(1, 12)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess
    const groups = groupsOf(t.store.all(), 'range');
    expect(groups.map((g) => g.id)).toEqual(['range/0-5', 'range/5-10']);
    expect(groups[0]!.memberIds).toEqual(['blocks/1', 'blocks/2', 'blocks/3', 'blocks/4', 'blocks/5']);
    expect((await t.store.get('cursor/range'))!.data.position).toBe('10');
    expect(membershipOf(t.store.all(), 'range', 'blocks/11')).toBe('pending');
    expect(membershipOf(t.store.all(), 'range', 'blocks/3')).toBe('member');
  });

  it('never skips a gap, even after the max wait', async () => {
    // Prepare
    const t = makeDeps();
    for (const n of [1n, 2n, 4n, 5n, 6n, 7n]) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Act
    t.clock.advanceSeconds(25);
    await runCollectors(t.deps);
    // Assess: only the contiguous prefix 1..2 is flushed; 4..7 wait for block 3
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/0-2']);
    expect((await t.store.get('blocks/4'))!.status).toBe('pending');
    // Act: the missing block arrives
    await dispatchMessage(t.deps, blockEnvelope(3n, t.clock));
    // Assess
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/0-2', 'range/2-7']);
  });

  it('flushes a partial group only once its oldest message waited maxWaitSeconds', async () => {
    // Prepare
    const t = makeDeps();
    await dispatchMessage(t.deps, blockEnvelope(1n, t.clock));
    t.clock.advanceSeconds(10);
    await dispatchMessage(t.deps, blockEnvelope(2n, t.clock));
    // Act + Assess
    t.clock.advanceSeconds(9);
    expect((await runCollectors(t.deps)).groups).toEqual([]);
    t.clock.advanceSeconds(1);
    const outcome = await runCollectors(t.deps);
    expect(outcome.groups).toEqual([{ groupId: 'range/0-2', status: 'running' }]);
  });

  it('starts at config.chains.l2.startBlock and skips messages behind the cursor', async () => {
    // Prepare
    const base = devnetConfig();
    const config = { ...base, chains: { ...base.chains, l2: { ...base.chains.l2, startBlock: '100' } } };
    const t = makeDeps(config);
    // Act
    for (const n of blocks(99, 105)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const beforeSweep = (await t.store.get('blocks/99'))!.status;
    await runCollectors(t.deps);
    // Assess: the dispatches formed the group; the scheduled sweep skipped the stale messages
    expect(groupsOf(t.store.all(), 'range').map((g) => g.id)).toEqual(['range/100-105']);
    expect(beforeSweep).toBe('pending');
    expect((await t.store.get('blocks/99'))!.status).toBe('skipped');
    expect((await t.store.get('blocks/100'))!.status).toBe('skipped');
    // The members behind the cursor stay pending, named by their group: the sweep leaves them.
    for (const n of blocks(101, 105))
      expect(membershipOf(t.store.all(), 'range', `blocks/${n}`)).toBe('member');
  });

  it('lets only one of two concurrent collectors form the group (the cursor race loser forms nothing)', async () => {
    // Prepare
    const t = makeDeps(devnetConfig(), {});
    for (const n of blocks(1, 4)) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await t.store.create({
      id: 'blocks/5',
      kind: 'message#blocks',
      status: 'pending',
      sortKey: '00000000000000000004',
      data: { envelope: blockEnvelope(5n, t.clock), receivedAt: t.clock.now().toISOString() },
    });
    const stage = t.deps.config.stages[0]!;
    const rule = stage.collector;
    if (rule.strategy !== 'sequential') throw new Error('range stage is sequential');
    // Act
    const outcomes = await Promise.all([
      new SequentialCollector(stage, rule).collect(t.deps),
      new SequentialCollector(stage, rule).collect(t.deps),
    ]);
    // Assess
    expect(outcomes.flatMap((o) => o.formed.map((g) => g.id))).toEqual(['range/0-5']);
  });
});

describe('SequentialCollector (range keys, minSpan)', () => {
  it('groups contiguous ranges until the span reaches minSpan and parks them for a checkpoint', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    for (const [s, e] of [
      [0n, 5n],
      [5n, 8n],
      [10n, 15n],
      [8n, 10n],
      [15n, 18n],
    ] as const) {
      await dispatchMessage(t.deps, rangeProofEnvelope(s, e, t.clock));
    }
    // Assess
    const groups = groupsOf(t.store.all(), 'aggregate');
    expect(groups.map((g) => [g.id, g.status])).toEqual([['aggregate/0-10', 'awaiting-checkpoint']]);
    expect(groups[0]!.memberIds).toEqual(['range-proofs/0-5', 'range-proofs/5-8', 'range-proofs/8-10']);
    expect((await t.store.get('range-proofs/10-15'))!.status).toBe('pending');
  });
});
