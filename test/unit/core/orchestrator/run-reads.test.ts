import { describe, expect, it, vi } from 'vitest';
import { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';
import { RunReads } from '../../../../lambdas/core/orchestrator/setup/run-reads.js';

const item = (id: string) => ({ id, kind: 'test', status: 'active', sortKey: id, data: { n: 1 } });

describe('RunReads', () => {
  it('reads every named item in one batch on the first get, and answers each from it once', async () => {
    // Prepare: a and b stored, c missing
    const store = new MemoryStateStore();
    await store.create(item('a'));
    await store.create(item('b'));
    const get = vi.spyOn(store, 'get');
    const getMany = vi.spyOn(store, 'getMany');
    const reads = new RunReads(store, ['a', 'b', 'c']);

    // Act
    const first = [await reads.get('b'), await reads.get('a'), await reads.get('c')];
    const again = await reads.get('a');

    // Assess: one batch for the three; the second get of a reads the store
    expect(first.map((found) => found?.id)).toEqual(['b', 'a', undefined]);
    expect(getMany.mock.calls).toEqual([[['a', 'b', 'c']]]);
    expect(get.mock.calls).toEqual([['a']]);
    expect(again?.id).toBe('a');
  });

  it('reads an item it wrote from the store, never the answer from before the write', async () => {
    // Prepare: a at version 1, batch-read, then replaced through the view
    const store = new MemoryStateStore();
    await store.create(item('a'));
    await store.create(item('b'));
    const reads = new RunReads(store, ['a', 'b']);
    await reads.get('b');

    // Act
    expect(await reads.replace({ ...item('a'), data: { n: 2 } }, 1)).toBe(true);
    const after = await reads.get('a');

    // Assess
    expect(after).toMatchObject({ version: 2, data: { n: 2 } });
  });

  it('keeps the batched answer after a refused create (nothing was written)', async () => {
    // Prepare: a exists, so the create is refused
    const store = new MemoryStateStore();
    await store.create(item('a'));
    const get = vi.spyOn(store, 'get');
    const reads = new RunReads(store, ['a', 'b']);

    // Act
    const created = await reads.create(item('a'));
    const found = await reads.get('a');

    // Assess: answered from the batch, no GetItem
    expect(created).toBe(false);
    expect(found?.version).toBe(1);
    expect(get).not.toHaveBeenCalled();
  });

  it('answers an id named for the run from the batch on every get, until it writes it', async () => {
    // Prepare: a (for the run) and b stored
    const store = new MemoryStateStore();
    await store.create(item('a'));
    await store.create(item('b'));
    const get = vi.spyOn(store, 'get');
    const reads = new RunReads(store, ['a', 'b'], ['a']);

    // Act
    const answers = [await reads.get('a'), await reads.get('a'), await reads.get('b')];
    expect(await reads.replace({ ...item('a'), data: { n: 2 } }, 1)).toBe(true);
    const afterWrite = await reads.get('a');

    // Assess: a twice from the batch, then from the store after the write
    expect(answers.map((found) => found?.version)).toEqual([1, 1, 1]);
    expect(get.mock.calls).toEqual([['a']]);
    expect(afterWrite).toMatchObject({ version: 2, data: { n: 2 } });
  });

  it('reads an id named for the run from the store after a refused create, so a retry sees the winner', async () => {
    // Prepare: a missing when batch-read, then created by another writer
    const store = new MemoryStateStore();
    const reads = new RunReads(store, ['a'], ['a']);
    expect(await reads.get('a')).toBeUndefined();
    await store.create(item('a'));

    // Act
    const created = await reads.create(item('a'));
    const found = await reads.get('a');

    // Assess
    expect(created).toBe(false);
    expect(found?.version).toBe(1);
  });

  it('passes ids it was not told about straight to the store', async () => {
    // Prepare
    const store = new MemoryStateStore();
    await store.create(item('x'));
    const getMany = vi.spyOn(store, 'getMany');
    const reads = new RunReads(store, ['a']);

    // Act
    const found = await reads.get('x');

    // Assess: no batch read for an id outside the run's list
    expect(found?.id).toBe('x');
    expect(getMany).not.toHaveBeenCalled();
  });
});
