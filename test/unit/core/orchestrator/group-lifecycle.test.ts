import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidTransitionError } from '../../../../lambdas/core/errors.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { groupItem, newGroup, parseGroup } from '../../../../lambdas/core/orchestrator/group/group-item.js';
import { GroupRepository } from '../../../../lambdas/core/orchestrator/group/group-repository.js';
import {
  commonOf,
  type Group,
  type GroupMove,
} from '../../../../lambdas/core/orchestrator/group/group-state.js';
import { jobArtifacts } from '../../../../lambdas/core/orchestrator/group/job-artifacts.js';
import { GROUP_STATUSES, GROUP_TRANSITIONS } from '../../../../lambdas/core/status.js';
import { makeDeps, rangeResult } from './orchestrator-fixture.js';

const hash = `0x${'11'.repeat(32)}`;

/** Any group state with the optional fields each state may carry. */
const groupArb: fc.Arbitrary<GroupMove> = fc
  .record({
    start: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    span: fc.bigInt({ min: 1n, max: 10_000n }),
    attempt: fc.integer({ min: 1, max: 10 }),
    status: fc.constantFrom(...GROUP_STATUSES),
    memberIds: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 4 }),
    matchValue: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
    granted: fc.boolean(),
    failure: fc.option(fc.string({ minLength: 1, maxLength: 50 }), { nil: undefined }),
    submitted: fc.boolean(),
  })
  .map(({ start, span, attempt, status, memberIds, matchValue, granted, failure, submitted }) => {
    const base = {
      ...newGroup('range', start, start + span, memberIds, matchValue === undefined ? {} : { matchValue }),
      attempt,
      ...(granted
        ? {
            grant: {
              checkpoint: { l1BlockNumber: '7', l1BlockHash: hash },
              rangeVkey: hash,
              proverAddress: `0x${'22'.repeat(20)}`,
            },
          }
        : {}),
    };
    const job = {
      ...jobArtifacts(base, attempt),
      claimedAt: '2026-12-01T00:00:00.000Z',
      ...(submitted ? { submission: { jobId: 'job-1', submittedAt: '2026-12-01T00:00:01.000Z' } } : {}),
    };
    const common = {
      ...commonOf({ ...base, status: 'collected' }),
      ...(failure === undefined ? {} : { lastFailure: { error: failure } }),
    };
    switch (status) {
      case 'running':
      case 'succeeded':
        return { ...common, status, job };
      case 'failed':
        return {
          ...common,
          status,
          job,
          lastFailure: { error: failure ?? 'job failed', stderrTail: 'tail' },
        };
      case 'split':
        return { ...common, status, childGroupIds: ['range/0-1', 'range/1-2'] };
      case 'abandoned':
        return { ...common, status, expiredReason: 'incomplete after 60 s' };
      case 'invalidated':
        return { ...common, status, invalidatedBy: 'l2-rewind-1' };
      default:
        return { ...common, status };
    }
  });

function stored(group: GroupMove, version = 3): Group {
  return parseGroup({ ...groupItem(group), version, updatedAt: '2026-12-01T00:00:00.000Z' });
}

describe('group states at the store boundary', () => {
  it('parses what it stores, for every state (bigint spans, state-specific fields)', () => {
    fc.assert(
      fc.property(groupArb, (group) => {
        const { revision, ...parsed } = stored(group);
        expect(parsed).toEqual(group);
        expect(revision).toEqual({ version: 3, updatedAt: '2026-12-01T00:00:00.000Z' });
        expect(typeof parsed.start).toBe('bigint');
      }),
    );
  });

  it('refuses a running item without its job, naming the item and the fields', () => {
    // Prepare
    const item = {
      ...groupItem(newGroup('range', 0n, 5n, ['blocks/1'])),
      status: 'running',
      version: 2,
      updatedAt: '',
    };
    // Act + Assess
    expect(() => parseGroup(item)).toThrow(InvalidInputError);
    expect(() => parseGroup(item)).toThrow(
      /group item range\/0-5: data\.jobName, inputKey, outputKey, claimedAt: missing for a running group/,
    );
  });

  it('refuses an item whose status is not a group status', () => {
    const item = {
      ...groupItem(newGroup('range', 0n, 5n, [])),
      status: 'pending',
      version: 1,
      updatedAt: '',
    };
    expect(() => parseGroup(item)).toThrow(/status: "pending" is not a group status/);
  });

  it('derives one job name and key set per identity and attempt', () => {
    const identity = { id: 'range/100-130', stage: 'range', start: 100n, end: 130n };
    expect(jobArtifacts(identity, 2)).toEqual({
      name: 'range-100-130-a2',
      inputKey: 'jobs/range/100-130/a2/input.json',
      outputKey: 'jobs/range/100-130/a2/output.json',
    });
    expect(jobArtifacts(identity, 1).outputKey).not.toBe(jobArtifacts(identity, 2).outputKey);
  });
});

describe('GroupRepository', () => {
  it('allows exactly the moves of the transition table', async () => {
    for (const from of GROUP_STATUSES) {
      for (const to of GROUP_STATUSES) {
        if (from === to) continue;
        // Prepare
        const t = makeDeps();
        const groups = new GroupRepository(t.store);
        const sample = fc.sample(groupArb, { numRuns: 30, seed: 7 });
        const source = sample.find((g) => g.status === from)!;
        const target = sample.find((g) => g.status === to)!;
        await t.store.create({ ...groupItem(source), id: source.id });
        const read = (await groups.get(source.id))!;
        // Act
        const move = groups.move(read, { ...target, id: source.id, stage: source.stage });
        // Assess
        if (GROUP_TRANSITIONS[from].includes(to)) await expect(move).resolves.toMatchObject({ status: to });
        else await expect(move).rejects.toThrow(InvalidTransitionError);
      }
    }
  });

  it('lets only one of two writers that read the same version win', async () => {
    // Prepare
    const t = makeDeps();
    const groups = new GroupRepository(t.store);
    await groups.create(newGroup('range', 0n, 5n, ['blocks/1']));
    const read = (await groups.get('range/0-5'))!;
    // Act
    const first = await groups.move(read, { ...commonOf(read), status: 'awaiting-checkpoint' });
    const second = await groups.move(read, {
      ...commonOf(read),
      status: 'running',
      job: { ...jobArtifacts(read, 1), claimedAt: 'now' },
    });
    // Assess
    expect(first?.status).toBe('awaiting-checkpoint');
    expect(second).toBeUndefined();
    expect((await t.store.get('range/0-5'))!.status).toBe('awaiting-checkpoint');
  });
});

describe('finishJob reads what the claim recorded', () => {
  it('takes the output from the stored job output key, never a recomputed one', async () => {
    // Prepare: a running group whose job wrote to a key other than the derived one.
    const t = makeDeps();
    const group = newGroup('range', 0n, 5n, []);
    const job = {
      name: 'range-0-5-a1',
      inputKey: 'elsewhere/in.json',
      outputKey: 'elsewhere/out.json',
      claimedAt: t.clock.now().toISOString(),
    };
    await t.store.create({ ...groupItem({ ...group, status: 'running', job }) });
    await t.blobs.putJson('elsewhere/out.json', rangeResult(0n, 5n));
    // Act
    const outcome = await finishJob(t.deps, {
      stage: 'range',
      groupId: 'range/0-5',
      attempt: 1,
      jobName: job.name,
      status: 'SUCCEEDED',
    });
    // Assess
    expect(outcome).toBe('succeeded');
    expect(t.bus.published.map((e) => e.id)).toEqual(['range-proofs/0-5']);
  });
});
