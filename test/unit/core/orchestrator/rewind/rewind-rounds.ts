import { expect } from 'vitest';
import type { RewindRig } from './l2-rewind-fixture.js';

/**
 * Proves every running range group (its current attempt) with a valid result, in start order.
 * @returns the ids of the groups proven.
 */
export async function proveRunningRanges(rig: RewindRig): Promise<string[]> {
  const running = await rig.t.store.list('group#range', 'running');
  for (const item of running) {
    const { start, end, attempt } = item.data as { start: string; end: string; attempt: number };
    expect(await rig.proveRange(BigInt(start), BigInt(end), attempt), item.id).toBe('succeeded');
  }
  return running.map((item) => item.id);
}

/** `rounds` times: a watcher run, every message delivered, the running ranges proven and their proofs delivered. */
export async function settleRounds(rig: RewindRig, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await rig.watch();
    await rig.deliver();
    await proveRunningRanges(rig);
    await rig.deliver();
  }
}
