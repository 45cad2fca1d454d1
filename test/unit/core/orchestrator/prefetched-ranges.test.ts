import { describe, expect, it } from 'vitest';
import type { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { prefetchedMembers } from '../../../../lambdas/core/orchestrator/collector/prefetched-members.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runScheduledCollectors } from '../../../../lambdas/core/orchestrator/scheduled-collectors.js';
import { stageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { SWEEP_INTERVAL_SECONDS } from '../../../../lambdas/core/orchestrator/sweep-schedule.js';
import type { StoredItem } from '../../../../lambdas/core/ports/state-store.js';
import { adaptiveConfig } from './adaptive-range-fixture.js';
import { groupsOf } from './group-invariants.js';
import {
  devnetConfig,
  makeDeps,
  rangeProofEnvelope,
  withRangeCollector,
  withStageCollector,
} from './orchestrator-fixture.js';
import { recordingStore } from './recording-store.js';

/** The devnet config with the aggregate stage's collector replaced. */
function withAggregateCollector(
  config: PipelineConfig,
  collector: PipelineConfig['stages'][number]['collector'],
): PipelineConfig {
  return withStageCollector(config, 'aggregate', collector);
}

/** The guess of the aggregate stage of `config` from `position`. */
function aggregateGuess(config: PipelineConfig, position: bigint | undefined) {
  return prefetchedMembers(config, stageNamed(config, 'aggregate'), position);
}

describe('the ranges an aggregate stage reads ahead', () => {
  it('names the ranges of a fixed-length cut from the cursor, as many whole groups as fit in a plan page', () => {
    // Prepare: devnet: range cuts 5 blocks (groupSize 5, no gas or adaptive cut), aggregate minSpan 10
    const config = devnetConfig();

    // Act
    const guess = aggregateGuess(config, 10n);

    // Assess: 2 ranges a group, 16 groups = 32 ids (PLAN_PAGE_SIZE)
    expect(guess?.position).toBe(10n);
    expect(guess?.rangesPerGroup).toBe(2);
    expect(guess?.ids.slice(0, 3)).toEqual([
      'range-proofs/10-15',
      'range-proofs/15-20',
      'range-proofs/20-25',
    ]);
    expect(guess?.ids).toHaveLength(32);
    expect(guess?.ids.at(-1)).toBe('range-proofs/165-170');
  });

  it('takes the fewer ranges of groupSize and those reaching minSpan', () => {
    // Prepare: minSpan 12 of 5-block ranges needs 3 ranges; groupSize 2 is fewer
    const byGroupSize = withAggregateCollector(devnetConfig(), {
      strategy: 'sequential',
      keyKind: 'range',
      minSpan: 12,
      groupSize: 2,
    });
    const bySpan = withAggregateCollector(devnetConfig(), {
      strategy: 'sequential',
      keyKind: 'range',
      minSpan: 12,
    });

    // Act / Assess
    expect(aggregateGuess(byGroupSize, 0n)?.rangesPerGroup).toBe(2);
    expect(aggregateGuess(bySpan, 0n)?.rangesPerGroup).toBe(3);
    expect(aggregateGuess(bySpan, 0n)?.ids).toHaveLength(30);
  });

  it('names none when the producing stage cuts by gas or adaptive size, or its ranges are chains themselves', () => {
    // Prepare
    const range = { strategy: 'sequential', keyKind: 'block', groupSize: 5 } as const;
    const gasCut = withRangeCollector(devnetConfig(), { ...range, maxGasPerRange: '1000000' });
    const adaptive = adaptiveConfig();
    // A third stage grouping the aggregates' proofs: their ends are wherever a chain reached minSpan.
    const devnet = devnetConfig();
    const aggregate = stageNamed(devnet, 'aggregate');
    const ofAggregates = {
      ...devnet,
      stages: [
        ...devnet.stages,
        { ...aggregate, name: 'final', inputTopics: ['aggregate-proofs'], outputTopic: 'final-proofs' },
      ],
    };

    // Act / Assess
    expect(aggregateGuess(gasCut, 10n)).toBeUndefined();
    expect(aggregateGuess(adaptive, 10n)).toBeUndefined();
    expect(prefetchedMembers(ofAggregates, stageNamed(ofAggregates, 'final'), 10n)).toBeUndefined();
    expect(aggregateGuess(devnet, undefined)).toBeUndefined();
    // The control: the same stages with a count cut do guess.
    expect(aggregateGuess(withRangeCollector(devnetConfig(), range), 10n)).toBeDefined();
  });
});

/** Aggregate groups and range-proof messages as stored: what planning decided. */
function decided(items: readonly StoredItem[]) {
  return {
    groups: groupsOf(items, 'aggregate').map((g) => ({ id: g.id, status: g.status, memberIds: g.memberIds })),
    messages: items
      .filter((i) => i.kind === 'message#range-proofs')
      .map((i) => `${i.id} ${i.status}`)
      .sort(),
  };
}

type Delivery = readonly [bigint, bigint] | ((store: MemoryStateStore) => Promise<void>);

/**
 * Delivers aggregate/0-10's ranges, then `deliveries` (a range, one delivery each, or a step on the
 * store), and returns what was decided and the store calls of the last delivery. `guessing`: one
 * long-lived process (a warm container) that knows the aggregate cursor from its previous run and
 * so reads ahead; otherwise each delivery comes to a fresh process, which knows no position and
 * lists a page: what the collector did before the read-ahead.
 */
async function deliverRanges(deliveries: readonly Delivery[], guessing: boolean) {
  const t = makeDeps();
  const { store, calls } = recordingStore(t.store);
  const warm = { ...t.deps, store };
  const steps: Delivery[] = [[0n, 5n], [5n, 10n], ...deliveries];
  for (const step of steps) {
    calls.length = 0;
    if (typeof step === 'function') await step(t.store);
    else await dispatchMessage(guessing ? warm : { ...t.deps, store }, rangeProofEnvelope(...step, t.clock));
  }
  return { t, warm, calls, decided: decided(t.store.all()) };
}

const lists = (calls: readonly string[]) =>
  calls.filter((call) => call.startsWith('list message#range-proofs'));

describe('an aggregate delivery whose read-ahead ranges make a group', () => {
  it('forms it without listing a page, exactly the group a listed page forms', async () => {
    // Prepare / Act: aggregate at 10; 10-15 then 15-20 delivered
    const guessed = await deliverRanges(
      [
        [10n, 15n],
        [15n, 20n],
      ],
      true,
    );
    const listed = await deliverRanges(
      [
        [10n, 15n],
        [15n, 20n],
      ],
      false,
    );

    // Assess: the guess came with the cursor's batch read; no list of pending range proofs
    const batch = guessed.calls.find((call) => call.startsWith('getMany cursor/aggregate'));
    expect(batch).toContain('range-proofs/10-15,range-proofs/15-20,range-proofs/20-25');
    expect(lists(guessed.calls)).toEqual([]);
    expect(lists(listed.calls)).toEqual(['list message#range-proofs pending']);
    expect(guessed.decided.groups).toContainEqual({
      id: 'aggregate/10-20',
      status: 'awaiting-checkpoint',
      memberIds: ['range-proofs/10-15', 'range-proofs/15-20'],
    });
    expect(guessed.decided).toEqual(listed.decided);
  });

  it('forms every group of ranges delivered out of order in one run, as a listed page does', async () => {
    // Prepare / Act: 20-25 and 25-30 wait for 15-20, which comes last
    const ranges: [bigint, bigint][] = [
      [10n, 15n],
      [20n, 25n],
      [25n, 30n],
      [15n, 20n],
    ];
    const guessed = await deliverRanges(ranges, true);
    const listed = await deliverRanges(ranges, false);

    // Assess
    expect(lists(guessed.calls)).toEqual([]);
    expect(guessed.decided.groups.map((g) => g.id)).toEqual([
      'aggregate/0-10',
      'aggregate/10-20',
      'aggregate/20-30',
    ]);
    expect(guessed.decided).toEqual(listed.decided);
  });
});

describe('a range with another end right after the guessed groups', () => {
  it("is grouped by the stage's next sweep, not by the run that formed the guessed groups", async () => {
    // Prepare / Act: a partial flush cut 20-23; 20-23, 23-28, 28-33 wait for 10-15 and 15-20
    const ranges: [bigint, bigint][] = [
      [20n, 23n],
      [23n, 28n],
      [28n, 33n],
      [10n, 15n],
      [15n, 20n],
    ];
    const guessed = await deliverRanges(ranges, true);
    const listed = await deliverRanges(ranges, false);

    // Assess: a listed page forms 20-33 at once; the guess (20-25 missing) ends the run's page at 20
    const ids = (d: typeof guessed.decided) => d.groups.map((g) => g.id);
    expect(ids(listed.decided)).toEqual(['aggregate/0-10', 'aggregate/10-20', 'aggregate/20-33']);
    expect(ids(guessed.decided)).toEqual(['aggregate/0-10', 'aggregate/10-20']);
    expect(guessed.decided.messages).toContain('range-proofs/20-23 pending');

    // Act: the next scheduled tick with the aggregate's sweep due
    guessed.t.clock.advanceSeconds(SWEEP_INTERVAL_SECONDS);
    await runScheduledCollectors(guessed.warm);

    // Assess: nothing was lost; the sweep's list formed what the listed page did
    expect(decided(guessed.t.store.all())).toEqual(listed.decided);
  });
});

describe('an aggregate delivery whose read-ahead guess is wrong lists a page and plans as without it', () => {
  it('when the range at the cursor ends elsewhere (a partial flush 10-13, not 10-15)', async () => {
    // Prepare / Act
    const ranges: [bigint, bigint][] = [
      [10n, 13n],
      [13n, 18n],
      [18n, 23n],
    ];
    const guessed = await deliverRanges(ranges, true);
    const listed = await deliverRanges(ranges, false);

    // Assess
    expect(lists(guessed.calls)).toEqual(['list message#range-proofs pending']);
    expect(guessed.decided.groups.at(-1)?.id).toBe('aggregate/10-23');
    expect(guessed.decided).toEqual(listed.decided);
  });

  it('when the second range of the group is missing', async () => {
    // Prepare / Act
    const guessed = await deliverRanges([[10n, 15n]], true);
    const listed = await deliverRanges([[10n, 15n]], false);

    // Assess: no group yet, and 10-15 still pending
    expect(lists(guessed.calls)).toEqual(['list message#range-proofs pending']);
    expect(guessed.decided.groups.map((g) => g.id)).toEqual(['aggregate/0-10']);
    expect(guessed.decided.messages).toContain('range-proofs/10-15 pending');
    expect(guessed.decided).toEqual(listed.decided);
  });

  it('when a guessed range is not pending (collected: a re-proof landed in a group holding it)', async () => {
    // Prepare: 15-20 recorded, then collected; 10-15 comes last
    const collect = async (store: MemoryStateStore) => {
      const item = (await store.get('range-proofs/15-20'))!;
      expect(await store.replace({ ...item, status: 'collected' }, item.version)).toBe(true);
    };
    const steps: Delivery[] = [[15n, 20n], collect, [10n, 15n]];

    // Act
    const guessed = await deliverRanges(steps, true);
    const listed = await deliverRanges(steps, false);

    // Assess: no group from a collected range
    expect(lists(guessed.calls)).toEqual(['list message#range-proofs pending']);
    expect(guessed.decided.groups.map((g) => g.id)).toEqual(['aggregate/0-10']);
    expect(guessed.decided).toEqual(listed.decided);
  });

  it('when another process moved the cursor since this one guessed', async () => {
    // Prepare: this process formed aggregate/0-10; another (its own deps) then formed aggregate/10-20
    const t = makeDeps();
    const { store, calls } = recordingStore(t.store);
    const warm = { ...t.deps, store };
    for (const [start, end] of [
      [0n, 5n],
      [5n, 10n],
    ] as const)
      await dispatchMessage(warm, rangeProofEnvelope(start, end, t.clock));
    for (const [start, end] of [
      [10n, 15n],
      [15n, 20n],
    ] as const)
      await dispatchMessage({ ...t.deps }, rangeProofEnvelope(start, end, t.clock));
    calls.length = 0;

    // Act: 20-25, then 25-30, through this process
    await dispatchMessage(warm, rangeProofEnvelope(20n, 25n, t.clock));
    const guessedFromTen = calls.find((call) => call.startsWith('getMany cursor/aggregate'));
    const listedFirst = lists(calls);
    calls.length = 0;
    const { groups } = await dispatchMessage(warm, rangeProofEnvelope(25n, 30n, t.clock));

    // Assess: the stale guess (from 10) lists a page; the next run guesses from 20 and forms the group
    expect(guessedFromTen).toContain('range-proofs/10-15,');
    expect(listedFirst).toEqual(['list message#range-proofs pending']);
    expect(lists(calls)).toEqual([]);
    expect(groups).toEqual([{ groupId: 'aggregate/20-30', status: 'awaiting-checkpoint' }]);
  });
});
