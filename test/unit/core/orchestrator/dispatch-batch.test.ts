import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lambdas/core/errors.js';
import type { Envelope } from '../../../../lambdas/core/messages/envelope.js';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import type { OrchestratorDeps } from '../../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { blockEnvelope, makeDeps, rangeProofEnvelope } from './orchestrator-fixture.js';

/** Records every envelope in one batch, as the SQS handler does, and returns the settled outcomes. */
async function recordAll(deps: OrchestratorDeps, envelopes: readonly Envelope[]) {
  const batch = new DeliveryBatch(deps);
  const deliveries = await Promise.allSettled(envelopes.map((envelope) => batch.record(envelope)));
  return { batch, deliveries };
}

describe('DeliveryBatch', () => {
  it('records every message and forms the groups of the batch in one collector run', async () => {
    // Prepare
    const t = makeDeps();
    const envelopes = [5n, 3n, 1n, 4n, 2n].map((n) => blockEnvelope(n, t.clock));

    // Act
    const { batch, deliveries } = await recordAll(t.deps, envelopes);
    const collected = await batch.collect();

    // Assess
    expect(deliveries.map((d) => d.status === 'fulfilled' && d.value.recorded)).toEqual([
      'new',
      'new',
      'new',
      'new',
      'new',
    ]);
    expect(collected.groups).toEqual([{ groupId: 'range/0-5', status: 'running' }]);
    expect(t.jobs.submitted.map((job) => job.name)).toEqual(['range-0-5-a1']);
  });

  it('records repeats of one id one after the other: the first is new, the others duplicates', async () => {
    // Prepare: log the store calls on the message item
    const t = makeDeps();
    const calls: string[] = [];
    const store = new Proxy(t.store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const id = typeof args[0] === 'string' ? args[0] : (args[0] as { id?: string }).id;
          if (id === 'blocks/1') calls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const envelope = blockEnvelope(1n, t.clock);

    // Act
    const { deliveries } = await recordAll({ ...t.deps, store }, [envelope, envelope, envelope]);

    // Assess
    expect(deliveries.map((d) => d.status === 'fulfilled' && d.value.recorded)).toEqual([
      'new',
      'duplicate',
      'duplicate',
    ]);
    expect(calls).toEqual(['create', 'create', 'get', 'create', 'get']);
  });

  it('rejects a message that cannot be recorded and still collects for the others', async () => {
    // Prepare
    const t = makeDeps();
    const wrongId = { ...blockEnvelope(2n, t.clock), id: 'blocks/3' };

    // Act
    const { batch, deliveries } = await recordAll(t.deps, [blockEnvelope(1n, t.clock), wrongId]);
    const collected = await batch.collect();

    // Assess
    expect(deliveries[0]).toMatchObject({ status: 'fulfilled', value: { recorded: 'new' } });
    expect(deliveries[1]?.status === 'rejected' && deliveries[1].reason).toBeInstanceOf(InvalidInputError);
    expect(collected).toEqual({ groups: [], expired: [] });
    expect((await t.store.get('cursor/range'))?.data.position).toBe('0');
  });

  it('throws the error of the collector run', async () => {
    // Prepare: every cursor write fails
    const t = makeDeps(undefined, {
      beforeWrite: (_operation, id) => {
        if (id.startsWith('cursor/')) throw new Error('store outage');
      },
    });
    const { batch } = await recordAll(t.deps, [blockEnvelope(1n, t.clock)]);

    // Act
    const collected = batch.collect();

    // Assess
    await expect(collected).rejects.toThrow('store outage');
  });

  it('runs no collector for a topic only the proposer reads', async () => {
    // Prepare
    const t = makeDeps();
    const proof = { ...rangeProofEnvelope(0n, 5n, t.clock), topic: 'aggregate-proofs' };
    const envelope = { ...proof, id: `aggregate-proofs/${proof.key}` };

    // Act
    const { batch, deliveries } = await recordAll(t.deps, [envelope]);
    await batch.collect();

    // Assess
    expect(deliveries[0]).toMatchObject({ status: 'fulfilled', value: { recorded: 'new', stages: [] } });
    expect(await t.store.get('cursor/range')).toBeUndefined();
    expect(await t.store.get('cursor/aggregate')).toBeUndefined();
  });
});
