import { describe, expect, it } from 'vitest';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { GroupRepository } from '../../../../lambdas/core/orchestrator/group/group-repository.js';
import { commonOf } from '../../../../lambdas/core/orchestrator/group/group-state.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { forwarded, joinResult, twoProvers } from './join-fixture.js';
import { blockEnvelope, hashOf, makeDeps, rangeResult } from './orchestrator-fixture.js';

describe('join stage: two provers of one span', () => {
  it('all: agreeing provers hand on exactly one result per span, the forward topic’s', async () => {
    // Prepare
    const t = makeDeps(twoProvers('all'));
    // l1Head differs between honest provers (each job picks its own L1 block): not compared.
    const a = joinResult(t, 'range-proofs-a');
    const b = joinResult(t, 'range-proofs-b', { l1Head: hashOf(2000n) });
    // Act
    await dispatchMessage(t.deps, a);
    await dispatchMessage(t.deps, b);
    await dispatchMessage(t.deps, b);
    // Assess
    expect(forwarded(t)).toHaveLength(1);
    expect(forwarded(t)[0]).toMatchObject({ key: '0-5', payload: a.payload });
    expect((await t.store.get('range/0-5'))!.status).toBe('succeeded');
  });

  it('all: a disagreement halts the span with the reason, a metric and nothing forwarded', async () => {
    // Prepare
    const t = makeDeps(twoProvers('all'));
    // Act
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-a'));
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-b', { l2PostRoot: hashOf(99n) }));
    // Assess
    expect(forwarded(t)).toEqual([]);
    const group = (await t.store.get('range/0-5'))!;
    expect(group.status).toBe('abandoned');
    expect(group.data.error).toBe(
      `provers-disagree: l2PostRoot range-a=${hashOf(5n, 1)} range-b=${hashOf(99n)}`,
    );
    expect(t.metrics.total(METRIC.proverDisagreement)).toBe(1);
  });

  it('all: an invalid result halts the span, naming the prover', async () => {
    // Prepare
    const t = makeDeps(twoProvers('all'));
    const bad = makeEnvelope(
      'range-proofs-b',
      '0-5',
      { ...rangeResult(0n, 5n), proof: 'nope' },
      t.clock.now(),
    );
    // Act
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-a'));
    await dispatchMessage(t.deps, bad);
    // Assess
    expect(forwarded(t)).toEqual([]);
    expect((await t.store.get('range/0-5'))!.data.error).toMatch(
      /^prover-result-invalid: range-b \(range-proofs-b\/0-5\)/,
    );
  });

  it('first: forwards the first result, ends the other prover’s group, terminates its job, skips its late result', async () => {
    // Prepare: both provers run a job for blocks 1–5.
    const t = makeDeps(twoProvers('first'));
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    expect((await t.store.get('range-b/0-5'))!.status).toBe('running');
    const loserJob = (await t.store.get('range-b/0-5'))!.data.jobName;
    // Act
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-a'));
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-b'));
    // Assess
    expect(forwarded(t)).toHaveLength(1);
    const loser = (await t.store.get('range-b/0-5'))!;
    expect(loser.status).toBe('abandoned');
    expect(loser.data.expiredReason).toMatch(/^join-lost: range-a's result for span 0-5/);
    expect(t.jobs.terminated.map((j) => j.name)).toEqual([loserJob]);
    expect((await t.store.get('range-proofs-b/0-5'))!.status).toBe('skipped');
    expect((await t.store.get('range-a/0-5'))!.status).toBe('running');
  });

  it('past its timeout, waits while the missing prover’s group can still deliver, names the retry once it is abandoned, expires when none exists', async () => {
    // Prepare: both provers run blocks 1–5; only range-a's result arrives, then the 600 s join timeout passes.
    const t = makeDeps(twoProvers('all'));
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const a = joinResult(t, 'range-proofs-a');
    await dispatchMessage(t.deps, a);
    t.clock.advanceSeconds(601);

    // Act 1: the join's collector runs again while range-b/0-5 is still running.
    await dispatchMessage(t.deps, a);
    // Assess 1: no join group, range-a's result still pending, the wait counted.
    expect(await t.store.get('range/0-5')).toBeUndefined();
    expect((await t.store.get('range-proofs-a/0-5'))!.status).toBe('pending');
    expect(t.metrics.total(METRIC.joinWaiting)).toBe(1);

    // Act 2: range-b/0-5 fails for good (abandoned): the join still waits, for a person.
    const groups = new GroupRepository(t.store);
    const running = (await groups.get('range-b/0-5'))!;
    const failed = await groups.move(running, {
      ...commonOf(running),
      status: 'failed',
      lastFailure: { error: 'prover exited 1' },
    });
    await groups.move(failed!, { ...commonOf(failed!), status: 'abandoned' });
    await dispatchMessage(t.deps, a);
    // Assess 2
    expect(await t.store.get('range/0-5')).toBeUndefined();
    expect(t.metrics.total(METRIC.joinWaiting)).toBe(2);
    expect(
      t.logger.entries.some((e) =>
        String(e.attributes?.reason ?? '').includes('ops group retry range-b/0-5'),
      ),
    ).toBe(true);

    // Act 3: a span for which range-b never cut a group expires as configured.
    const lone = makeEnvelope('range-proofs-a', '5-10', rangeResult(5n, 10n), t.clock.now());
    await dispatchMessage(t.deps, lone);
    t.clock.advanceSeconds(601);
    await dispatchMessage(t.deps, lone);
    // Assess 3
    expect((await t.store.get('range/5-10'))!.status).toBe('abandoned');
    expect((await t.store.get('range-proofs-a/5-10'))!.status).toBe('expired');
  });
});
