import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lambdas/adapters/memory/manual-clock.js';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import type { JobCompletion } from '../../../lambdas/core/orchestrator/group/job-completion.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import type { JobSpec } from '../../../lambdas/core/ports/job-runner.js';
import { Prng } from '../../../scripts/chaos/prng.js';
import { GpuFleet } from '../../../scripts/plan/gpu-fleet.js';
import { GpuPoolJobRunner } from '../../../scripts/plan/gpu-pool-job-runner.js';
import { VirtualSchedule } from '../../../scripts/plan/virtual-schedule.js';
import { DEFAULT_FLEET } from '../../../scripts/plan/world-model.js';

const config = loadPipelineConfig(new URL('../../../config/devnet.json', import.meta.url).pathname);
const executor = { ...provingStageNamed(config, 'range').executor, timeoutSeconds: 100_000 };

function spec(name: string): JobSpec {
  return {
    name,
    stage: 'range',
    groupId: 'range/0-5',
    attempt: 1,
    inputKey: 'in',
    outputKey: 'out',
    executor,
  };
}

/** One GPU that starts in 10 s, no Spot, jobs of 1000 s; returns the runner and what finished. */
function pool() {
  const schedule = new VirtualSchedule(new ManualClock('2026-01-01T00:00:00Z'));
  const fleet = new GpuFleet(
    { ...DEFAULT_FLEET, startSeconds: 10, imagePullSeconds: 0, instanceType: 'g6.xlarge', spot: false },
    { total: 1, spot: 0 },
    new Prng(1),
  );
  const finished: { at: number; completion: JobCompletion }[] = [];
  const runner = new GpuPoolJobRunner({
    schedule,
    fleet,
    spot: false,
    durationSeconds: () => 1000,
    writeOutput: async () => {},
    events: {
      submitted: () => {},
      started: () => {},
      finished: async (_spec, completion) => {
        finished.push({ at: (schedule.nowMs - Date.parse('2026-01-01T00:00:00Z')) / 1000, completion });
      },
    },
  });
  return { schedule, fleet, runner, finished, t0: Date.parse('2026-01-01T00:00:00Z') };
}

describe('GpuPoolJobRunner.terminate (the planner’s TerminateJob)', () => {
  it('stops a running job now, frees its GPU for the queued one, and ends it FAILED with the reason', async () => {
    // Prepare: a runs on the only GPU from t = 10 s; b waits for it.
    const { schedule, runner, finished, t0 } = pool();
    await runner.submit(spec('a'));
    await runner.submit(spec('b'));
    await schedule.runUntil(t0 + 100_000);
    schedule.clock.set(new Date(t0 + 100_000));

    // Act: at t = 100 s, a is stopped.
    const stopped = await runner.terminate({ stage: 'range', name: 'a' }, 'hedge won');
    const again = await runner.terminate({ stage: 'range', name: 'a' }, 'again');
    await schedule.runUntil(t0 + 10_000_000);

    // Assess: a ended at 100 s after 90 s on the GPU; b started at once and ran its 1000 s.
    expect([stopped, again]).toEqual([1, 0]);
    expect(finished.map(({ at, completion }) => [completion.jobName, completion.status, at])).toEqual([
      ['a', 'FAILED', 100],
      ['b', 'SUCCEEDED', 1100],
    ]);
    expect(finished[0]?.completion).toMatchObject({ reason: 'hedge won', durationSeconds: 90 });
    expect(await runner.state({ stage: 'range', name: 'a' })).toEqual({
      state: 'failed',
      reason: 'hedge won',
    });
  });

  it('takes a queued job out of the queue before it ever gets a GPU', async () => {
    // Prepare
    const { schedule, runner, finished, t0 } = pool();
    await runner.submit(spec('a'));
    await runner.submit(spec('b'));
    await schedule.runUntil(t0 + 100_000);
    schedule.clock.set(new Date(t0 + 100_000));

    // Act
    const stopped = await runner.terminate({ stage: 'range', name: 'b' }, 'join: first result won');
    await schedule.runUntil(t0 + 10_000_000);

    // Assess
    expect(stopped).toBe(1);
    expect(finished.map(({ at, completion }) => [completion.jobName, completion.status, at])).toEqual([
      ['b', 'FAILED', 100],
      ['a', 'SUCCEEDED', 1010],
    ]);
    expect(runner.load).toEqual({ waiting: 0, running: 0 });
  });
});
