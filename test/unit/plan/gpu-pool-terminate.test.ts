import { describe, expect, it } from 'vitest';
import { tinyJobSpec as spec, POOL_T0 as t0, tinyJobPool } from './tiny-scenario.js';

describe('GpuPoolJobRunner.terminate (the planner’s TerminateJob)', () => {
  it('stops a running job now, frees its GPU for the queued one, and ends it FAILED with the reason', async () => {
    // Prepare: a runs on the only GPU from t = 10 s; b waits for it.
    const { schedule, runner, finished } = tinyJobPool();
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
    const { schedule, runner, finished } = tinyJobPool();
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
