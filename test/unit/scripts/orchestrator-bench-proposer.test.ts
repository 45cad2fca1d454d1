import { describe, expect, it } from 'vitest';
import { BenchProposer } from '../../../scripts/orchestrator-bench-proposer.js';

/** A pass that waits until the test lets it end, counting how many started. */
function gatedPasses(): { started: () => number; release: () => void; pass: () => Promise<void> } {
  let started = 0;
  const open: (() => void)[] = [];
  return {
    started: () => started,
    release: () => {
      for (const resolve of open.splice(0)) resolve();
    },
    pass: () => {
      started += 1;
      return new Promise<void>((resolve) => open.push(resolve));
    },
  };
}

describe('BenchProposer', () => {
  it('runs a pass per wake-up without waiting for it, and one more pass for wake-ups during a pass', async () => {
    // Prepare
    const gate = gatedPasses();
    const proposer = new BenchProposer(gate.pass);

    // Act: a wake-up returns at once; two more during the pass
    await proposer.wakeup.wake('group-awaits-checkpoint');
    await proposer.wakeup.wake('proof-recorded');
    await proposer.wakeup.wake('proof-recorded');
    const startedDuringFirst = gate.started();
    const ended = proposer.nextPass();
    gate.release();
    await ended;
    await Promise.resolve();
    const startedAfterFirst = gate.started();
    const second = proposer.nextPass();
    gate.release();
    await second;

    // Assess
    expect(proposer.wakeups).toBe(3);
    expect(startedDuringFirst).toBe(1);
    expect(startedAfterFirst).toBe(2);
  });

  it('fails the run with the error a woken pass threw', async () => {
    // Prepare
    const proposer = new BenchProposer(async () => {
      throw new Error('checkpoint refused');
    });

    // Act
    await proposer.wakeup.wake('group-awaits-checkpoint');

    // Assess
    await expect(proposer.run()).rejects.toThrow('checkpoint refused');
  });
});
