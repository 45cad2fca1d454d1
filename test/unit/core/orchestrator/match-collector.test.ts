import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../../lambdas/adapters/memory/manual-clock.js';
import type { MatchCollectorConfig, PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { matchGroupId } from '../../../../lambdas/core/orchestrator/collector/match-collector.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { devnetConfig, makeDeps } from './orchestrator-fixture.js';

/** The devnet pipeline plus a fan-in stage joining two proof topics on the claimed block. */
function joinConfig(collector: Partial<MatchCollectorConfig> = {}): PipelineConfig {
  const base = devnetConfig();
  const aggregate = base.stages[1]!;
  return {
    ...base,
    stages: [
      ...base.stages,
      {
        ...aggregate,
        name: 'join',
        inputTopics: ['proofs-a', 'proofs-b'],
        outputTopic: 'joined',
        collector: {
          strategy: 'match',
          field: 'claim.end',
          count: 2,
          timeoutSeconds: 60,
          onTimeout: 'fail',
          ...collector,
        },
      },
    ],
  };
}

function proof(topic: string, end: number, part: number, clock: ManualClock, parts?: number) {
  return makeEnvelope(topic, `${end}-${end + part + 1}`, { claim: { end: String(end) }, parts }, clock.now());
}

const groupsOf = (items: ReturnType<ReturnType<typeof makeDeps>['store']['all']>) =>
  items.filter((i) => i.kind === 'group#join');

describe('MatchCollector', () => {
  it('forms a group when count messages share the field value, across topics', async () => {
    // Prepare
    const t = makeDeps(joinConfig());
    // Act
    await dispatchMessage(t.deps, proof('proofs-a', 5, 0, t.clock));
    const outcome = await dispatchMessage(t.deps, proof('proofs-b', 5, 1, t.clock));
    // Assess
    expect(outcome.groups).toEqual([{ groupId: 'join/5', status: 'awaiting-checkpoint' }]);
    const group = (await t.store.get('join/5'))!;
    expect(group.data).toMatchObject({
      memberIds: ['proofs-a/5-6', 'proofs-b/5-7'],
      matchValue: '5',
      start: '5',
      end: '7',
    });
    expect((await t.store.get('proofs-a/5-6'))!.status).toBe('collected');
  });

  it('completes at the count carried in countField', async () => {
    // Prepare
    const config = joinConfig({ count: undefined, countField: 'parts' });
    delete (config.stages[2]!.collector as Partial<MatchCollectorConfig>).count;
    const t = makeDeps(config);
    // Act
    await dispatchMessage(t.deps, proof('proofs-a', 9, 0, t.clock, 3));
    await dispatchMessage(t.deps, proof('proofs-b', 9, 1, t.clock, 3));
    const before = await t.store.get('join/9');
    await dispatchMessage(t.deps, proof('proofs-a', 9, 2, t.clock, 3));
    // Assess
    expect(before).toBeUndefined();
    expect((await t.store.get('join/9'))!.data.memberIds).toHaveLength(3);
  });

  it('onTimeout fail: expires the members of an incomplete group and reports it; latecomers expire too', async () => {
    // Prepare
    const t = makeDeps(joinConfig());
    await dispatchMessage(t.deps, proof('proofs-a', 5, 0, t.clock));
    // Act
    t.clock.advanceSeconds(60);
    const outcome = await runCollectors(t.deps);
    await dispatchMessage(t.deps, proof('proofs-b', 5, 1, t.clock));
    // Assess
    expect(outcome.expired).toEqual(['join/5']);
    expect((await t.store.get('join/5'))!.status).toBe('abandoned');
    expect((await t.store.get('proofs-a/5-6'))!.status).toBe('expired');
    expect((await t.store.get('proofs-b/5-7'))!.status).toBe('expired');
    expect(t.logger.at('warn').some((e) => e.message === 'match group expired')).toBe(true);
  });

  it('onTimeout flush: forms the incomplete group after the timeout, and not before', async () => {
    // Prepare
    const t = makeDeps(joinConfig({ onTimeout: 'flush' }));
    await dispatchMessage(t.deps, proof('proofs-a', 5, 0, t.clock));
    // Act + Assess
    t.clock.advanceSeconds(59);
    expect((await runCollectors(t.deps)).groups).toEqual([]);
    t.clock.advanceSeconds(1);
    expect((await runCollectors(t.deps)).groups).toEqual([
      { groupId: 'join/5', status: 'awaiting-checkpoint' },
    ]);
    await dispatchMessage(t.deps, proof('proofs-b', 5, 1, t.clock));
    expect((await t.store.get('proofs-b/5-7'))!.status).toBe('skipped');
  });

  it('refuses a group whose members disagree on countField, naming each value', async () => {
    // Prepare
    const config = joinConfig({ countField: 'parts' });
    delete (config.stages[2]!.collector as Partial<MatchCollectorConfig>).count;
    const t = makeDeps(config);
    await dispatchMessage(t.deps, proof('proofs-a', 9, 0, t.clock, 3));
    // Act
    const outcome = await dispatchMessage(t.deps, proof('proofs-b', 9, 1, t.clock, 2));
    await dispatchMessage(t.deps, proof('proofs-a', 9, 2, t.clock, 3));
    // Assess
    expect(outcome.expired).toEqual(['join/9']);
    const group = (await t.store.get('join/9'))!;
    expect(group.status).toBe('abandoned');
    expect(group.data.expiredReason).toBe('members disagree on parts: proofs-a/9-10=3, proofs-b/9-11=2');
    for (const id of ['proofs-a/9-10', 'proofs-b/9-11', 'proofs-a/9-12'])
      expect((await t.store.get(id))!.status, id).toBe('expired');
    expect(t.jobs.submitted).toEqual([]);
    expect(t.logger.at('error').map((e) => e.message)).toContain(
      'match group refused: its members disagree on the group size',
    );
  });

  it('logs a latecomer it marks skipped', async () => {
    // Prepare
    const t = makeDeps(joinConfig());
    await dispatchMessage(t.deps, proof('proofs-a', 5, 0, t.clock));
    await dispatchMessage(t.deps, proof('proofs-b', 5, 1, t.clock));
    // Act
    await dispatchMessage(t.deps, proof('proofs-b', 5, 2, t.clock));
    // Assess
    expect((await t.store.get('proofs-b/5-8'))!.status).toBe('skipped');
    expect(t.logger.at('warn').find((e) => e.attributes?.messageId === 'proofs-b/5-8')).toMatchObject({
      message: 'message skipped: its match group was already formed without it',
      attributes: { groupId: 'join/5', matchValue: '5' },
    });
  });

  it('makes deterministic group ids, hashing values that are not id-safe', () => {
    expect(matchGroupId('join', '0xabc')).toBe('join/0xabc');
    expect(matchGroupId('join', '{"a":1}')).toMatch(/^join\/h-[0-9a-f]{40}$/);
    expect(matchGroupId('join', '{"a":1}')).toBe(matchGroupId('join', '{"a":1}'));
  });

  it('property: shuffled, duplicated, concurrent deliveries put every message in exactly one group per value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        async (partsPerValue, parallel, seed) => {
          // Prepare
          const config = joinConfig({ countField: 'parts' });
          delete (config.stages[2]!.collector as Partial<MatchCollectorConfig>).count;
          let state = seed >>> 0 || 1;
          const t = makeDeps(config, {
            delayTurns: () => {
              state = (state * 1103515245 + 12345) >>> 0;
              return state % 3;
            },
          });
          const messages = partsPerValue.flatMap((parts, value) =>
            Array.from({ length: parts }, (_, part) =>
              proof(part % 2 === 0 ? 'proofs-a' : 'proofs-b', value * 10, part, t.clock, parts),
            ),
          );
          const order = fc.sample(
            fc.shuffledSubarray(messages, { minLength: messages.length, maxLength: messages.length }),
            {
              seed,
              numRuns: 1,
            },
          )[0]!;
          const deliveries = [...order, ...order.filter((_, i) => i % 2 === 1)];
          // Act
          for (let i = 0; i < deliveries.length; i += parallel) {
            await Promise.all(deliveries.slice(i, i + parallel).map((e) => dispatchMessage(t.deps, e)));
          }
          // Assess
          const groups = groupsOf(t.store.all());
          expect(groups.map((g) => g.id).sort()).toEqual(
            partsPerValue.map((_, v) => `join/${v * 10}`).sort(),
          );
          const members = groups.flatMap((g) => g.data.memberIds as string[]);
          expect(members.sort()).toEqual(messages.map((m) => m.id).sort());
          for (const group of groups) {
            const value = Number(group.data.matchValue) / 10;
            expect(group.data.memberIds).toHaveLength(partsPerValue[value]!);
            expect(group.status).toBe('awaiting-checkpoint');
          }
          for (const message of messages) expect((await t.store.get(message.id))!.status).toBe('collected');
        },
      ),
      { numRuns: 80 },
    );
  });
});
