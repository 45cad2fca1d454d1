import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../../lambdas/adapters/memory/memory-state-store.js';

describe('MemoryStateStore', () => {
  it('versions items and refuses conditional writes that lost', async () => {
    // Prepare
    const store = new MemoryStateStore();
    const item = { id: 'a', kind: 'k', status: 's', sortKey: '1', data: { x: 1 } };
    // Act + Assess
    expect(await store.create(item)).toBe(true);
    expect(await store.create(item)).toBe(false);
    expect(await store.replace({ ...item, status: 't' }, 1)).toBe(true);
    expect(await store.replace({ ...item, status: 'u' }, 1)).toBe(false);
    expect((await store.get('a'))!.version).toBe(2);
    expect(await store.list('k', 't')).toHaveLength(1);
    expect(await store.delete('a', 1)).toBe(false);
    expect(await store.delete('a', 2)).toBe(true);
    expect(await store.get('a')).toBeUndefined();
  });

  it('lists by kind and status in sortKey order from a sort key, with a limit', async () => {
    // Prepare
    const store = new MemoryStateStore();
    for (const key of ['3', '1', '2', '4']) {
      await store.create({ id: `m${key}`, kind: 'k', status: 'p', sortKey: key, data: {} });
    }
    await store.create({ id: 'other', kind: 'k', status: 'q', sortKey: '0', data: {} });
    // Act
    const listed = await store.list('k', 'p', { fromSortKey: '2', limit: 2 });
    // Assess
    expect(listed.map((i) => i.id)).toEqual(['m2', 'm3']);
  });

  it('reads several items at once in the order asked, undefined for a missing one, as copies', async () => {
    // Prepare
    const store = new MemoryStateStore();
    for (const id of ['a', 'b'])
      await store.create({ id, kind: 'k', status: 's', sortKey: id, data: { id } });

    // Act
    const read = await store.getMany(['b', 'missing', 'a', 'b']);

    // Assess
    expect(read.map((item) => item?.data.id)).toEqual(['b', undefined, 'a', 'b']);
    expect(read[0]).not.toBe(read[3]);
    expect(read[0]).toEqual(await store.get('b'));
  });
});
