import { describe, expect, it } from 'vitest';
import { FakeL2, RewindRig } from './l2-rewind-fixture.js';
import { settleRounds } from './rewind-rounds.js';

/** The live (neither invalidated nor split) range groups covering block `n`. */
function liveRangesOver(rig: RewindRig, n: bigint): string[] {
  return rig.t.store
    .all()
    .filter((i) => i.kind === 'group#range' && i.status !== 'invalidated' && i.status !== 'split')
    .filter((i) => BigInt(i.data.start as string) < n && n <= BigInt(i.data.end as string))
    .map((i) => i.id);
}

/**
 * Found by the chaos simulator with L2 reorgs (`npm run chaos -- --l2-reorgs --blocks 12`, seed
 * 66): a bisected group spanning the ancestor is invalidated by the rewind (its end is above it)
 * while its first half, at or below the ancestor, stays live and succeeded. The Sequential cursor
 * went back to the parent's start, so the blocks of that half were grouped and proven a second time.
 */
describe('L2 rewind over a bisected group', () => {
  it('moves the cursor back to the first invalidated half, not to the start of the split parent', async () => {
    // Prepare: range/0-5 fails twice and is split into range/0-3 and range/3-5, all proven;
    // then the L2 reorganises above block 3
    const rig = new RewindRig(new FakeL2(10n));
    await rig.watch();
    await rig.deliver();
    expect(await rig.failRange(0n, 5n, 1)).toBe('retried');
    expect(await rig.failRange(0n, 5n, 2)).toBe('split');
    await settleRounds(rig, 1);
    expect(await rig.status('range/0-3')).toBe('succeeded');
    rig.l2.reorg(3n, 13n);
    // Act: the rewind, then the canonical blocks collected and proven again
    const outcome = await rig.watch();
    await settleRounds(rig, 3);
    // Assess: every block once in a live range group; range/0-3 kept
    expect(outcome.rewind).toMatchObject({ kind: 'rewound', ancestor: 3n });
    expect(await rig.status('range/0-3')).toBe('succeeded');
    for (let n = 1n; n <= 13n; n++) expect(liveRangesOver(rig, n), `block ${n}`).toHaveLength(1);
  });
});
