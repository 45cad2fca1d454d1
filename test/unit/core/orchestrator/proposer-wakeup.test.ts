import { describe, expect, it } from 'vitest';
import { MemoryProposerWakeup } from '../../../../lambdas/adapters/memory/memory-proposer-wakeup.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { aggregateResult, blockEnvelope, makeDeps, rangeProofEnvelope } from './orchestrator-fixture.js';

function depsWith(wakeup: MemoryProposerWakeup) {
  const t = makeDeps();
  return { ...t, deps: { ...t.deps, proposerWakeup: wakeup } };
}

describe('dispatchMessage wakes the proposer', () => {
  it('once when a dispatch hands an aggregate group over to awaiting-checkpoint', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    expect(wakeup.reasons).toEqual([]);
    // Act
    const outcome = await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    // Assess
    expect(outcome.groups).toEqual([{ groupId: 'aggregate/0-10', status: 'awaiting-checkpoint' }]);
    expect(wakeup.reasons).toEqual(['group-awaits-checkpoint']);
  });

  it('once per dispatch, however many groups that dispatch hands over', async () => {
    // Prepare: ranges after a gap wait for the first one, which then lets two aggregates form at once
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    for (const [start, end] of [
      [5n, 10n],
      [10n, 15n],
      [15n, 20n],
    ] as const)
      await dispatchMessage(t.deps, rangeProofEnvelope(start, end, t.clock));
    expect(wakeup.reasons).toEqual([]);
    // Act
    const outcome = await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    // Assess
    expect(outcome.groups.map((g) => g.status)).toEqual(['awaiting-checkpoint', 'awaiting-checkpoint']);
    expect(wakeup.reasons).toEqual(['group-awaits-checkpoint']);
  });

  it('once per recorded aggregate-proofs message, also for a redelivery', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    const proof = makeEnvelope('aggregate-proofs', '0-10', aggregateResult(77n), t.clock.now());
    // Act
    const first = await dispatchMessage(t.deps, proof);
    const again = await dispatchMessage(t.deps, proof);
    // Assess
    expect([first.recorded, again.recorded]).toEqual(['new', 'duplicate']);
    expect(wakeup.reasons).toEqual(['proof-recorded', 'proof-recorded']);
  });

  it('not for block messages, even those that start a range job', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    // Act
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    expect(wakeup.reasons).toEqual([]);
  });

  it('and a failing wake-up is logged, never failing the dispatch', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup(new Error('Rate exceeded'));
    const t = depsWith(wakeup);
    const proof = makeEnvelope('aggregate-proofs', '0-10', aggregateResult(77n), t.clock.now());
    // Act
    const outcome = await dispatchMessage(t.deps, proof);
    // Assess
    expect(outcome.recorded).toBe('new');
    expect((await t.store.get('aggregate-proofs/0-10'))?.status).toBe('pending');
    expect(wakeup.reasons).toEqual(['proof-recorded']);
    expect(t.logger.at('warn')).toEqual([
      {
        level: 'warn',
        message: 'proposer wake-up failed; its next scheduled run picks the work up',
        attributes: { reason: 'proof-recorded', error: 'Rate exceeded' },
      },
    ]);
  });
});

describe('a delivered batch wakes the proposer', () => {
  it('once, however many proofs it records', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    const batch = new DeliveryBatch(t.deps);
    const proofs = [
      makeEnvelope('aggregate-proofs', '0-10', aggregateResult(77n), t.clock.now()),
      makeEnvelope('aggregate-proofs', '10-20', aggregateResult(78n), t.clock.now()),
      makeEnvelope('aggregate-proofs', '20-30', aggregateResult(79n), t.clock.now()),
    ];
    // Act
    await Promise.all(proofs.map((proof) => batch.record(proof)));
    await batch.collect();
    // Assess
    expect(wakeup.reasons).toEqual(['proof-recorded']);
  });

  it('once when its collector run hands an aggregate group over to awaiting-checkpoint', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    const batch = new DeliveryBatch(t.deps);
    // Act
    await batch.record(rangeProofEnvelope(0n, 5n, t.clock));
    await batch.record(rangeProofEnvelope(5n, 10n, t.clock));
    const outcome = await batch.collect();
    // Assess
    expect(outcome.groups).toEqual([{ groupId: 'aggregate/0-10', status: 'awaiting-checkpoint' }]);
    expect(wakeup.reasons).toEqual(['group-awaits-checkpoint']);
  });

  it('not for a batch of blocks', async () => {
    // Prepare
    const wakeup = new MemoryProposerWakeup();
    const t = depsWith(wakeup);
    const batch = new DeliveryBatch(t.deps);
    // Act
    for (let n = 1n; n <= 5n; n++) await batch.record(blockEnvelope(n, t.clock));
    await batch.collect();
    // Assess
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1']);
    expect(wakeup.reasons).toEqual([]);
  });
});
