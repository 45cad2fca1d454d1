import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import type { StateStore } from '../../../../lambdas/core/ports/state-store.js';
import { blockEnvelope, makeDeps } from './orchestrator-fixture.js';

/** The store calls made through the returned store, as `method id…`. */
function recordingStore(store: StateStore): { store: StateStore; calls: string[] } {
  const calls: string[] = [];
  const recording = new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const [first, second] = args;
        const what =
          typeof first === 'string'
            ? property === 'list'
              ? `${first} ${String(second)}`
              : first
            : Array.isArray(first)
              ? first.join(',')
              : (first as { id: string }).id;
        calls.push(`${String(property)} ${what}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: recording, calls };
}

describe('the dispatch that completes a group reads nothing twice', () => {
  it('reads the cursor once, the members in one batch read per step, and lists neither collected groups nor stale messages', async () => {
    // Prepare: blocks 1-4 recorded; block 5 completes range/0-5
    const t = makeDeps();
    for (let n = 1n; n <= 4n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    await dispatchMessage({ ...t.deps, store }, blockEnvelope(5n, t.clock));

    // Assess
    const reads = calls.filter((call) => /^(get|getMany|list) /.test(call));
    const members = 'blocks/1,blocks/2,blocks/3,blocks/4,blocks/5';
    expect(reads.filter((call) => call.startsWith('get '))).toEqual([
      'get cursor/range',
      'get pause/stage/range',
      'get breaker/range',
    ]);
    expect(reads.filter((call) => call.startsWith('getMany '))).toEqual([
      `getMany ${members}`,
      `getMany ${members}`,
    ]);
    expect(reads.filter((call) => call.startsWith('list group#'))).toEqual([]);
    // Two plan pages (the group, then nothing after it); no stale-message sweep outside the schedule.
    expect(reads.filter((call) => call.startsWith('list message#'))).toEqual([
      'list message#blocks pending',
      'list message#blocks pending',
    ]);
    expect((await t.store.get('range/0-5'))?.status).toBe('running');
  });
});
