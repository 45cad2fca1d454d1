import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningScheduler, startLocalScheduler } from '../../../devnet/stand-ins/local-scheduler.js';

/** A target whose runs are counted and each held until `release()`. */
function heldTarget() {
  const runs: number[] = [];
  let release: () => void = () => undefined;
  return {
    runs,
    release: () => release(),
    handler: async () => {
      runs.push(Date.now());
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('local scheduler wake-ups', () => {
  let scheduler: RunningScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  it('runs a waiting target at once instead of at its next tick an hour away', async () => {
    // Prepare
    const target = heldTarget();
    scheduler = startLocalScheduler([
      { name: 'proposer', everySeconds: 3600, timeoutSeconds: 60, handler: target.handler },
    ]);
    await until(() => target.runs.length === 1, 'the first run');
    target.release();
    await sleep(50);
    // Act
    scheduler.wake('proposer');
    await until(() => target.runs.length === 2, 'the woken run');
    target.release();
    // Assess
    expect(target.runs).toHaveLength(2);
  });

  it('coalesces wakes during a run into exactly one more run after it', async () => {
    // Prepare
    const target = heldTarget();
    scheduler = startLocalScheduler([
      { name: 'proposer', everySeconds: 3600, timeoutSeconds: 60, handler: target.handler },
    ]);
    await until(() => target.runs.length === 1, 'the first run');
    // Act
    scheduler.wake('proposer');
    scheduler.wake('proposer');
    scheduler.wake('proposer');
    await sleep(50);
    const duringRun = target.runs.length;
    target.release();
    await until(() => target.runs.length === 2, 'the run after the wakes');
    target.release();
    await sleep(300);
    // Assess
    expect(duringRun).toBe(1);
    expect(target.runs).toHaveLength(2);
  });

  it('refuses to wake a target it does not run, naming the ones it does', () => {
    // Prepare
    scheduler = startLocalScheduler([
      { name: 'watcher', everySeconds: 3600, timeoutSeconds: 60, handler: async () => undefined },
    ]);
    // Act + Assess
    expect(() => scheduler?.wake('proposer')).toThrow(
      'local scheduler: no target "proposer" to wake (targets: watcher)',
    );
  });
});
