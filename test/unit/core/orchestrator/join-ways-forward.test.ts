import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../../lambdas/core/messages/envelope.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { forwarded, invalidJoinResult, joinResult, twoProvers } from './join-fixture.js';
import { blockEnvelope, hashOf, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

const sweep = (t: TestDeps) => runCollectors(t.deps, undefined, { sweeps: true });

/** `envelope` with its payload moved to the blob store under `key` (as a large result travels). */
async function byKey(t: TestDeps, envelope: Envelope, key: string): Promise<Envelope> {
  await t.blobs.putJson(key, envelope.payload);
  const { payload: _inline, ...rest } = envelope;
  return { ...rest, payloadKey: key };
}

describe('join stage: every state has a way forward', () => {
  it('a member result blob gone when the join reads it: the group stays collected (retried), no disagreement paged', async () => {
    // Prepare: range-b's result travels by key; its blob is gone after the collector read it to match.
    const t = makeDeps(twoProvers('all'));
    const key = 'results/range-b/0-5.json';
    const b = await byKey(t, joinResult(t, 'range-proofs-b'), key);
    const read = t.blobs.getJson.bind(t.blobs);
    let reads = 0;
    let gone = true;
    t.blobs.getJson = async (k) => (k === key && ++reads > 1 && gone ? undefined : read(k));
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-a'));
    // Act
    const dispatched = dispatchMessage(t.deps, b);
    // Assess
    await expect(dispatched).rejects.toThrow(
      `join-member-unreadable: blob ${key} referred to by the payload of message range-proofs-b/0-5 is missing`,
    );
    expect((await t.store.get('range/0-5'))!.status).toBe('collected');
    expect(t.metrics.total(METRIC.proverDisagreement)).toBe(0);
    expect(t.metrics.total(METRIC.joinMemberUnreadable)).toBe(1);
    expect(forwarded(t)).toEqual([]);

    // Act 2: the blob is back; the next sweep joins the span.
    gone = false;
    await sweep(t);
    // Assess 2
    expect((await t.store.get('range/0-5'))!.status).toBe('succeeded');
    expect(forwarded(t)).toHaveLength(1);
  });

  it('first: an invalid first result waits for the other prover, whose valid result then wins', async () => {
    // Prepare: both provers run a job for blocks 1–5.
    const t = makeDeps(twoProvers('first'));
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Act 1: range-a answers first, with a result the range plug-in refuses.
    await dispatchMessage(t.deps, invalidJoinResult(t, 'range-proofs-a'));
    // Assess 1: nothing handed on, the group open and naming why, range-b not cancelled.
    const waiting = (await t.store.get('range/0-5'))!;
    expect(waiting.status).toBe('collected');
    expect(waiting.data.error).toMatch(/^prover-result-invalid: range-a \(range-proofs-a\/0-5\)/);
    expect(forwarded(t)).toEqual([]);
    expect(t.metrics.total(METRIC.joinResultInvalid)).toBe(1);
    expect(t.metrics.total(METRIC.joinWaiting)).toBe(1);
    expect(t.metrics.total(METRIC.proverDisagreement)).toBe(0);
    expect((await t.store.get('range-b/0-5'))!.status).toBe('running');
    expect(t.jobs.terminated).toEqual([]);

    // Act 2: a sweep while waiting counts the wait again, not the invalid result.
    await sweep(t);
    expect(t.metrics.total(METRIC.joinResultInvalid)).toBe(1);

    // Act 3: range-b's valid result arrives.
    const b = joinResult(t, 'range-proofs-b', { l1Head: hashOf(2000n) });
    await dispatchMessage(t.deps, b);
    // Assess 3: range-b's result is handed on; both results are members.
    expect(forwarded(t)).toHaveLength(1);
    expect(forwarded(t)[0]).toMatchObject({ key: '0-5', payload: b.payload });
    const joined = (await t.store.get('range/0-5'))!;
    expect(joined.status).toBe('succeeded');
    expect(joined.data.memberIds).toEqual(['range-proofs-a/0-5', 'range-proofs-b/0-5']);
    expect((await t.store.get('range-proofs-b/0-5'))!.status).toBe('collected');
  });

  it('first: an invalid result halts the span, named, when no other prover can still deliver', async () => {
    // Prepare: range-b never cut a group for blocks 5–10.
    const t = makeDeps(twoProvers('first'));
    const bad = makeEnvelope(
      'range-proofs-a',
      '5-10',
      { ...rangeResult(5n, 10n), proof: 'nope' },
      t.clock.now(),
    );
    // Act
    await dispatchMessage(t.deps, bad);
    // Assess
    const halted = (await t.store.get('range/5-10'))!;
    expect(halted.status).toBe('abandoned');
    expect(halted.data.error).toMatch(
      /^join-no-valid-result: span 5-10 of join stage "range": prover-result-invalid: range-a .*no other prover's result can still arrive$/,
    );
    expect(t.metrics.total(METRIC.groupAbandoned)).toBe(1);
    expect(t.metrics.total(METRIC.proverDisagreement)).toBe(0);
  });

  it('a crash between the halt’s two writes: the next sweep finishes it (abandoned, paged once)', async () => {
    // Prepare: the disagreeing group's write to abandoned crashes once.
    const t = makeDeps(twoProvers('all'));
    let crashed = false;
    t.store.beforeWrite = (_operation, id, item) => {
      if (!crashed && id === 'range/0-5' && item?.status === 'abandoned') {
        crashed = true;
        throw new Error('crash');
      }
    };
    await dispatchMessage(t.deps, joinResult(t, 'range-proofs-a'));
    await expect(
      dispatchMessage(t.deps, joinResult(t, 'range-proofs-b', { l2PostRoot: hashOf(99n) })),
    ).rejects.toThrow('crash');
    expect((await t.store.get('range/0-5'))!.status).toBe('failed');
    // Act
    await sweep(t);
    // Assess
    const group = (await t.store.get('range/0-5'))!;
    expect(group.status).toBe('abandoned');
    expect(group.data.error).toMatch(/^provers-disagree: l2PostRoot/);
    expect(t.metrics.total(METRIC.proverDisagreement)).toBe(1);
  });
});
