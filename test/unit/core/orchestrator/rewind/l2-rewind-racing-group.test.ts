import { describe, expect, it } from 'vitest';
import type { NewItem } from '../../../../../lambdas/core/ports/state-store.js';
import { expectContiguousGroups, groupsOf } from '../group-invariants.js';
import { interleavedRuns } from './interleaved-runs.js';
import { FakeL2, RewindRig } from './l2-rewind-fixture.js';
import { proveRunningRanges, settleRounds } from './rewind-rounds.js';

/** Blocks 1…10 enqueued and delivered, range/0-5 and range/5-10 proven: their proofs wait to be delivered. */
async function rangesProven(): Promise<RewindRig> {
  const rig = new RewindRig(new FakeL2(10n));
  await rig.watch();
  await rig.deliver();
  expect(await proveRunningRanges(rig)).toEqual(['range/0-5', 'range/5-10']);
  return rig;
}

/**
 * Holds the create of `groupId` (the collector already replaced its cursor for it) and runs a
 * watcher run, which finds the reorg and rewinds, instead; the held create lands when the rewind
 * reads `cursorId` (its step 3, after it listed the stage's groups), or after the rewind when it
 * never does.
 */
function rewindBeforeCreateOf(rig: RewindRig, groupId: string, cursorId: string): void {
  const store = rig.t.store;
  const create = store.create.bind(store);
  const get = store.get.bind(store);
  let held: NewItem | undefined;
  let heldCreated: boolean | undefined;
  store.create = async (item) => {
    if (item.id !== groupId || held !== undefined) return create(item);
    held = item;
    await rig.watch();
    heldCreated ??= await create(item);
    return heldCreated;
  };
  store.get = async (id) => {
    if (id === cursorId && held !== undefined && heldCreated === undefined) heldCreated = await create(held);
    return get(id);
  };
}

describe('L2 rewind racing a Sequential collector', () => {
  it('a group created between the rewind listing the groups and moving the cursor is invalidated, and the aggregates form again', async () => {
    // Prepare: the L2 reorganises above block 7; the aggregate collector decides aggregate/0-10
    // (its cursor at 10) on the delivery of range-proofs/5-10, and the rewind runs before its
    // group item is written; the item lands after the rewind's group list, before its step 3.
    const rig = await rangesProven();
    rig.l2.reorg(7n, 20n);
    rewindBeforeCreateOf(rig, 'aggregate/0-10', 'cursor/aggregate');

    // Act
    await rig.deliver();
    const afterRewind = {
      aggregate: await rig.status('aggregate/0-10'),
      keptProof: await rig.status('range-proofs/0-5'),
      cursor: (await rig.t.store.get('cursor/aggregate'))?.data.position,
    };
    await settleRounds(rig, 4);

    // Assess: the rewind dropped the group the cursor had decided (its member at or below the
    // ancestor released, the cursor back at its start), so the re-proven range joins it again and
    // the aggregates go on past the ancestor to the new head.
    expect(afterRewind).toEqual({ aggregate: 'invalidated', keptProof: 'pending', cursor: '0' });
    const aggregates = groupsOf(rig.t.store.all(), 'aggregate').filter((g) => g.status !== 'invalidated');
    expect(aggregates.map((g) => [g.id, g.status])).toEqual([
      ['aggregate/0-10', 'awaiting-checkpoint'],
      ['aggregate/10-20', 'awaiting-checkpoint'],
    ]);
    expect(expectContiguousGroups(aggregates, 0n)).toBe(20n);
    expect((await rig.t.store.get('cursor/aggregate'))?.data.position).toBe('20');
    for (const id of aggregates.flatMap((g) => g.memberIds))
      expect(await rig.status(id), id).toBe('collected');
  });
});

/**
 * Where the pipeline stands once the rewind and a few more rounds are done: per stage the live
 * groups (collected by the stage's collector, not invalidated) must chain from the origin without
 * gap or overlap, and every member of one must be a live message on the canonical chain (an
 * aggregate's: the proof of its range group's current attempt).
 */
async function standing(rig: RewindRig) {
  const items = rig.t.store.all();
  const stage = (name: string) => {
    const live = groupsOf(items, name).filter((g) => g.status !== 'invalidated');
    return {
      groups: live.map((g) => `${g.id} ${g.status}`),
      end: expectContiguousGroups(live, 0n),
      cursor: items.find((i) => i.id === `cursor/${name}`)?.data.position,
    };
  };
  const badMembers = ['range', 'aggregate'].flatMap((name) =>
    groupsOf(items, name)
      .filter((g) => g.status !== 'invalidated')
      .flatMap((g) => g.memberIds.map((id) => ({ id, item: items.find((i) => i.id === id) })))
      .filter(({ id, item }) => {
        if (item === undefined) return true;
        if (name === 'aggregate') {
          // The member is the proof of its producing group's current attempt: a late proof of an
          // earlier one (the old branch) must have been replaced by the re-proof.
          const producer = items.find((i) => i.id === `range/${id.slice('range-proofs/'.length)}`);
          const attempt = (item.data.envelope as { attempt: number }).attempt;
          return item.status !== 'collected' || attempt !== producer?.data.attempt;
        }
        const hash = (item.data.envelope as { payload: { hash: string } }).payload.hash;
        return item.status !== 'pending' || hash !== rig.l2.hash(BigInt(id.slice('blocks/'.length)));
      })
      .map(({ id, item }) => `${id} ${item?.status}`),
  );
  return { range: stage('range'), aggregate: stage('aggregate'), badMembers };
}

/**
 * Every way the rewind (a watcher run finding the reorg above 7) can interleave with one `round`
 * of the pipeline over what `prepare` left, at store-write grain: the rewind starts before each
 * write k of the round, and the round goes on before each write j of the rewind; then four rounds
 * of watcher, delivery and proving. Returns how many interleavings ran.
 */
async function everyInterleaving(
  prepare: () => Promise<RewindRig>,
  round: (rig: RewindRig) => Promise<void>,
): Promise<number> {
  const race = async (k: number, j: number) => {
    const rig = await prepare();
    rig.l2.reorg(7n, 20n);
    const writes = await interleavedRuns(
      rig.t.store,
      () => round(rig),
      () => rig.watch(),
      k,
      j,
    );
    return { rig, writes };
  };
  const { writes } = await race(Infinity, Infinity);
  let runs = 0;
  for (let k = 1; k <= writes.first + 1; k++) {
    for (let j = 1; j <= writes.second + 2; j++) {
      const { rig } = await race(k, j);
      await settleRounds(rig, 4);
      expect({ k, j, ...(await standing(rig)) }).toEqual({ k, j, ...EXPECTED_STANDING });
      runs++;
    }
  }
  return runs;
}

/** Blocks 1…20 canonical (the reorg above 7): five-block ranges, ten-block aggregates up to the head. */
const EXPECTED_STANDING = {
  range: {
    groups: ['range/0-5 succeeded', 'range/5-10 succeeded', 'range/10-15 succeeded', 'range/15-20 succeeded'],
    end: 20n,
    cursor: '20',
  },
  aggregate: {
    groups: ['aggregate/0-10 awaiting-checkpoint', 'aggregate/10-20 awaiting-checkpoint'],
    end: 20n,
    cursor: '20',
  },
  badMembers: [],
};

describe('L2 rewind at every store write of a collector run', () => {
  it('the delivery of both range proofs, whose collector run forms aggregate/0-10: the pipeline moves on to the head whatever the interleaving', async () => {
    // Prepare / Act / Assess: the proofs recorded and the aggregate collector run, racing the rewind.
    // A proof of the old branch recorded after the rewind passed the aggregate stage is collected
    // like a canonical one; the re-proof replaces it in place (`standing` checks each aggregate
    // member is of its range group's current attempt).
    const runs = await everyInterleaving(rangesProven, (rig) => rig.deliver());
    expect(runs).toBeGreaterThan(20);
  });

  it('the range collector forming range/0-5 and range/5-10: the pipeline moves on to the head whatever the interleaving', async () => {
    // Prepare / Act / Assess: blocks 1…10 recorded before, the range collector run racing the rewind
    // (recording them inside the round too would triple the interleavings for little more).
    const enqueued = async () => {
      const rig = new RewindRig(new FakeL2(10n));
      await rig.watch();
      await rig.record();
      return rig;
    };
    const runs = await everyInterleaving(enqueued, (rig) => rig.collect('range'));
    expect(runs).toBeGreaterThan(20);
  });
});

describe('L2 rewind and a proof delivered late', () => {
  it('a proof of the old branch recorded after the rewind invalidated the messages, and collected before it reached the groups, is invalidated with its group', async () => {
    // Prepare: range/5-10's proof (of the old blocks 6…10) is still on its way when the L2
    // reorganises above 7; it is recorded, and aggregate/0-10 formed over it, once the rewind
    // invalidated the messages (step 1) and before it lists the range groups (step 2).
    const rig = await rangesProven();
    rig.l2.reorg(7n, 20n);
    const store = rig.t.store;
    const list = store.list.bind(store);
    let delivered = false;
    store.list = async (kind, status, options) => {
      if (kind === 'group#range' && !delivered && (await store.get('rewind/l2')) !== undefined) {
        delivered = true;
        await rig.deliver();
      }
      return list(kind, status, options);
    };

    // Act
    await rig.watch();
    store.list = list;
    const afterRewind = {
      aggregate: await rig.status('aggregate/0-10'),
      lateProof: await rig.status('range-proofs/5-10'),
      keptProof: await rig.status('range-proofs/0-5'),
    };
    await settleRounds(rig, 4);

    // Assess: the late proof went with the group that held it, so range/5-10's re-proof replaces it.
    expect(delivered).toBe(true);
    expect(afterRewind).toEqual({ aggregate: 'invalidated', lateProof: 'invalidated', keptProof: 'pending' });
    expect({ ...(await standing(rig)) }).toEqual(EXPECTED_STANDING);
  });
});
