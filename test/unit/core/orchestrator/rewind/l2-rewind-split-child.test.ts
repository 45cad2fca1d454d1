import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../../lambdas/core/orchestrator/group/finish-job.js';
import { newGroup } from '../../../../../lambdas/core/orchestrator/group/group-item.js';
import { GroupRepository } from '../../../../../lambdas/core/orchestrator/group/group-repository.js';
import { invalidateGroup } from '../../../../../lambdas/core/orchestrator/group/invalidate-group.js';
import { rewindTag } from '../../../../../lambdas/core/orchestrator/messages/rewind-tag.js';
import { blockEnvelope, makeDeps, type TestDeps } from '../orchestrator-fixture.js';

/** A failed attempt of range group `range/0-5`. */
function failed(attempt: number) {
  return {
    stage: 'range',
    groupId: 'range/0-5',
    attempt,
    jobName: `range-0-5-a${attempt}`,
    status: 'FAILED' as const,
    reason: 'bad block',
  };
}

/**
 * Blocks 1..5 dispatched, blocks above `ancestor` as the watcher enqueues them in generation
 * `generation`; range/3-5 an old-branch group that rewind 1 (ancestor 2) invalidated.
 */
async function withInvalidatedHalf(generation: number): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 5n; n++) {
    const envelope = blockEnvelope(n, t.clock);
    await dispatchMessage(t.deps, n > 2n ? { ...envelope, attempt: generation } : envelope);
  }
  await new GroupRepository(t.store).create(newGroup('range', 3n, 5n, ['blocks/4', 'blocks/5']));
  expect(await invalidateGroup(t.deps, 'range/3-5', 2n, rewindTag({ generation: 1 }))).toBe(true);
  return t;
}

/**
 * Found by the chaos simulator with L2 reorgs (`npm run chaos -- --l2-reorgs --blocks 12`, seed
 * 156): a canonical group formed after an L2 rewind is bisected, and one half has the id of an
 * old-branch group that rewind invalidated. The child's create was refused by the invalidated
 * item, the parent went to `split` anyway, and the half's blocks were never proven: the pipeline
 * stopped there without a word.
 */
describe('bisecting a group after an L2 rewind', () => {
  it('forms a half again over the old-branch group the rewind invalidated under its id', async () => {
    // Prepare: range/0-5 running on the blocks enqueued after rewind 1
    const t = await withInvalidatedHalf(1);
    // Act: both attempts fail, the group is bisected into range/0-3 and range/3-5
    expect(await finishJob(t.deps, failed(1))).toBe('retried');
    expect(await finishJob(t.deps, failed(2))).toBe('split');
    // Assess: the half formed again on the canonical members, a new attempt running
    expect((await t.store.get('range/3-5'))!).toMatchObject({
      status: 'running',
      data: { parentGroupId: 'range/0-5', memberIds: ['blocks/4', 'blocks/5'], attempt: 2 },
    });
    expect(t.jobs.submitted.map((j) => j.name)).toContain('range-3-5-a2');
    expect((await t.store.get('range/0-3'))!.status).toBe('running');
  });

  it('leaves the half invalidated when the rewind came after the blocks the parent holds', async () => {
    // Prepare: range/0-5 running on blocks enqueued before rewind 1 (the rewind invalidates it next)
    const t = await withInvalidatedHalf(0);
    // Act
    expect(await finishJob(t.deps, failed(1))).toBe('retried');
    expect(await finishJob(t.deps, failed(2))).toBe('split');
    // Assess: no old-branch half formed again
    expect((await t.store.get('range/3-5'))!.status).toBe('invalidated');
    expect(t.jobs.submitted.map((j) => j.name)).not.toContain('range-3-5-a2');
  });
});
