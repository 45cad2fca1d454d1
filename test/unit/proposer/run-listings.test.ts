import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../lambdas/adapters/memory/memory-state-store.js';
import type { StateStore } from '../../../lambdas/core/ports/state-store.js';
import { RunListings } from '../../../lambdas/proposer/run-listings.js';

const tx = (nonce: number, status = 'mined') => ({
  id: `tx/0xabc/${nonce}`,
  kind: 'tx',
  status,
  sortKey: String(nonce).padStart(20, '0'),
  data: { nonce },
});

/** A memory store with three mined tx records and a count of the lists that reach it. */
async function seeded(): Promise<{ memory: MemoryStateStore; lists: string[]; store: StateStore }> {
  const memory = new MemoryStateStore();
  for (const nonce of [1, 2, 3]) await memory.create(tx(nonce));
  await memory.create({ ...tx(9), kind: 'message#blocks', id: 'blocks/9' });
  const lists: string[] = [];
  const store = Object.assign(Object.create(memory) as MemoryStateStore, {
    list: (kind: string, status: string, options?: { fromSortKey?: string; limit?: number }) => {
      lists.push(`${kind} ${status}`);
      return memory.list(kind, status, options);
    },
  });
  return { memory, lists, store };
}

describe('RunListings: one list per kind and status in a proposer run', () => {
  it('answers a repeated list from the same or a higher sort key from the first answer', async () => {
    // Prepare
    const { lists, store } = await seeded();
    const listings = new RunListings(store, ['tx']);
    // Act
    const all = await listings.list('tx', 'mined', { fromSortKey: '00000000000000000001' });
    const later = await listings.list('tx', 'mined', { fromSortKey: '00000000000000000002' });
    const lower = await listings.list('tx', 'mined');
    // Assess: the lower start reads again (the first answer does not reach down to it)
    expect(all.map((i) => i.id)).toEqual(['tx/0xabc/1', 'tx/0xabc/2', 'tx/0xabc/3']);
    expect(later.map((i) => i.id)).toEqual(['tx/0xabc/2', 'tx/0xabc/3']);
    expect(lower).toHaveLength(3);
    expect(lists).toEqual(['tx mined', 'tx mined']);
  });

  it('applies its own successful writes to the answers it keeps, as the store then lists them', async () => {
    // Prepare
    const { memory, lists, store } = await seeded();
    const listings = new RunListings(store, ['tx']);
    await listings.list('tx', 'mined');
    await listings.list('tx', 'sent');
    // Act: a move to sent, a create, an overwrite, a delete
    await listings.replace({ ...tx(2), status: 'sent' }, 1);
    await listings.create(tx(0));
    await listings.overwriteMany([{ ...tx(1), version: 5, data: { nonce: 1, seen: true } }]);
    await listings.delete('tx/0xabc/3', (await memory.get('tx/0xabc/3'))!.version);
    const mined = await listings.list('tx', 'mined');
    const sent = await listings.list('tx', 'sent');
    // Assess: no further list, and the answers equal the store's
    expect(lists).toEqual(['tx mined', 'tx sent']);
    const strip = (items: readonly { id: string; version: number; data: unknown }[]) =>
      items.map(({ id, version, data }) => ({ id, version, data }));
    expect(strip(mined)).toEqual(strip(await memory.list('tx', 'mined')));
    expect(strip(sent)).toEqual(strip(await memory.list('tx', 'sent')));
    expect(mined.map((i) => i.id)).toEqual(['tx/0xabc/0', 'tx/0xabc/1']);
  });

  it('reads afresh after a write of that kind that failed or threw, for a limited list and for other kinds', async () => {
    // Prepare
    const { memory, lists, store } = await seeded();
    const listings = new RunListings(store, ['tx']);
    await listings.list('tx', 'mined');
    // Act
    expect(await listings.replace({ ...tx(2), status: 'sent' }, 7)).toBe(false);
    await listings.list('tx', 'mined');
    memory.beforeWrite = () => {
      throw new Error('timed out (the write may have landed)');
    };
    await expect(listings.create(tx(5))).rejects.toThrow('timed out');
    memory.beforeWrite = undefined;
    await listings.list('tx', 'mined');
    await listings.list('tx', 'mined', { limit: 1 });
    await listings.list('message#blocks', 'mined');
    await listings.list('message#blocks', 'mined');
    // Assess
    expect(lists).toEqual([
      'tx mined',
      'tx mined',
      'tx mined',
      'tx mined',
      'message#blocks mined',
      'message#blocks mined',
    ]);
  });

  it('hands over what it ends with, from the lowest start listed, and the next run answers from it', async () => {
    // Prepare: a run lists mined from nonce 2 and 1, and sent from the start, then moves nonce 3 to sent
    const { lists, store } = await seeded();
    const first = new RunListings(store, ['tx']);
    await first.list('tx', 'mined', { fromSortKey: tx(2).sortKey });
    await first.list('tx', 'mined', { fromSortKey: tx(1).sortKey });
    await first.list('tx', 'sent');
    await first.replace({ ...tx(3), status: 'sent' }, 1);
    // Act
    const handover = first.handover();
    const next = new RunListings(store, ['tx'], handover);
    const mined = await next.list('tx', 'mined', { fromSortKey: tx(2).sortKey });
    const sent = await next.list('tx', 'sent');
    const lower = await next.list('tx', 'mined');
    // Assess: only the list from below the handed-over start reaches the store
    expect(handover.map(({ status, from }) => `${status} ${from}`)).toEqual([
      `mined ${tx(1).sortKey}`,
      'sent ',
    ]);
    expect(mined.map((i) => i.id)).toEqual(['tx/0xabc/2']);
    expect(sent.map((i) => [i.id, i.version])).toEqual([['tx/0xabc/3', 2]]);
    expect(lower).toHaveLength(2);
    expect(lists).toEqual(['tx mined', 'tx mined', 'tx sent', 'tx mined']);
  });

  it('keeps no answer that a write overtook while it was read', async () => {
    // Prepare
    const { lists, store } = await seeded();
    const listings = new RunListings(store, ['tx']);
    // Act: the list and a create run together
    const [first] = await Promise.all([listings.list('tx', 'mined'), listings.create(tx(4))]);
    const second = await listings.list('tx', 'mined');
    // Assess: the second list read again and sees the created record
    expect(lists).toEqual(['tx mined', 'tx mined']);
    expect(second.map((i) => i.id)).toContain('tx/0xabc/4');
    expect(first.length).toBeLessThanOrEqual(4);
  });

  it('hands out copies: changing an answer does not change the next one', async () => {
    // Prepare
    const { store } = await seeded();
    const listings = new RunListings(store, ['tx']);
    const first = await listings.list('tx', 'mined');
    // Act
    (first[0]!.data as Record<string, unknown>).nonce = 99;
    const second = await listings.list('tx', 'mined');
    // Assess
    expect(second[0]!.data.nonce).toBe(1);
  });
});
