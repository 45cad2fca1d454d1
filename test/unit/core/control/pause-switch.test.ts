import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';
import {
  clearPause,
  listPauses,
  parsePauseTarget,
  pauseId,
  readPause,
  setPause,
} from '../../../../lambdas/core/control/pause-switch.js';
import { InvalidInputError } from '../../../../lambdas/core/errors.js';

const at = new Date('2026-12-01T10:00:00.000Z');

describe('pause switches', () => {
  it('parses the targets a person types and names the allowed ones otherwise', () => {
    // Act
    const stage = parsePauseTarget('range', ['range', 'aggregate']);
    const prefixed = parsePauseTarget('stage:aggregate', ['range', 'aggregate']);
    const proposer = parsePauseTarget('proposer', []);
    // Assess
    expect(pauseId(stage)).toBe('pause/stage/range');
    expect(pauseId(prefixed)).toBe('pause/stage/aggregate');
    expect(pauseId(proposer)).toBe('pause/proposer');
    expect(() => parsePauseTarget('ranges', ['range'])).toThrow(InvalidInputError);
    expect(() => parsePauseTarget('ranges', ['range'])).toThrow(/use watcher, proposer or a stage \(range\)/);
  });

  it('sets, reads, lists and clears a switch, keeping the first time it was set', async () => {
    // Prepare
    const store = new MemoryStateStore();
    const proposer = { kind: 'proposer' } as const;
    // Act
    await setPause(store, proposer, { reason: 'rotating the key', by: 'alice', setter: 'operator', at });
    const again = await setPause(store, proposer, {
      reason: 'still rotating',
      by: 'bob',
      setter: 'operator',
      at: new Date(at.getTime() + 60_000),
    });
    const read = await readPause(store, proposer);
    const listed = await listPauses(store);
    const cleared = await clearPause(store, proposer);
    // Assess
    expect(again).toMatchObject({ reason: 'still rotating', by: 'bob', since: at.toISOString() });
    expect(read).toEqual(again);
    expect(listed.map((p) => p.target)).toEqual(['proposer']);
    expect(cleared?.reason).toBe('still rotating');
    expect(await readPause(store, proposer)).toBeUndefined();
    expect(await readPause(store, { kind: 'watcher' })).toBeUndefined();
    expect(await clearPause(store, proposer)).toBeUndefined();
  });

  it('refuses a malformed switch item by name', async () => {
    // Prepare
    const store = new MemoryStateStore();
    await store.create({
      id: 'pause/watcher',
      kind: 'pause',
      status: 'paused',
      sortKey: 'watcher',
      data: {},
    });
    // Act / Assess
    await expect(readPause(store, { kind: 'watcher' })).rejects.toThrow(/pause\/watcher/);
  });
});
