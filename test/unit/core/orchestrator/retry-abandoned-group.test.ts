import { describe, expect, it } from 'vitest';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { GroupRepository } from '../../../../lambdas/core/orchestrator/group/group-repository.js';
import { retryAbandonedGroup } from '../../../../lambdas/core/orchestrator/group/retry-group.js';
import { blockEnvelope, devnetConfig, makeDeps } from './orchestrator-fixture.js';

describe('retryAbandonedGroup (an operator retry of an abandoned group)', () => {
  it('starts a new attempt with the failures reset, so the stage attempts apply again before it is abandoned', async () => {
    // Prepare: 2 attempts then abandon; both attempts of range/0-5 fail.
    const base = devnetConfig();
    const config = {
      ...base,
      stages: base.stages
        .filter(isProvingStage)
        .map((s) => ({ ...s, executor: { ...s.executor, onExhausted: 'fail' as const } })),
    };
    const stage = config.stages[0]!;
    const t = makeDeps(config);
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const fail = (attempt: number) =>
      finishJob(t.deps, {
        stage: 'range',
        groupId: 'range/0-5',
        attempt,
        jobName: `range-0-5-a${attempt}`,
        status: 'FAILED',
        reason: 'bad prover build',
        durationSeconds: 1,
      });
    await fail(1);
    await fail(2);
    const groups = new GroupRepository(t.store);
    const abandoned = await groups.get('range/0-5');
    if (abandoned?.status !== 'abandoned') throw new Error(`fixture: range/0-5 is ${abandoned?.status}`);

    // Act
    const retried = await retryAbandonedGroup(t.deps, stage, abandoned);
    const afterOneFailure = await fail(3);

    // Assess
    expect(retried).toMatchObject({ status: 'running', attempt: 3, failures: 0, infraFailures: 0 });
    expect(t.jobs.submitted.map((job) => job.name)).toEqual([
      'range-0-5-a1',
      'range-0-5-a2',
      'range-0-5-a3',
      'range-0-5-a4',
    ]);
    expect(afterOneFailure).toBe('retried');
    expect(await groups.get('range/0-5')).toMatchObject({ status: 'running', attempt: 4, failures: 1 });
  });
});
