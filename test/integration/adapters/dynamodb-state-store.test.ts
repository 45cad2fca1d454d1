import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStateStore } from '../../../lambdas/adapters/aws/dynamodb-state-store.js';
import { kindStatusOf } from '../../../lambdas/core/config/state-table-design.js';
import type { NewItem, OverwrittenItem } from '../../../lambdas/core/ports/state-store.js';
import {
  type StateTableStandIn,
  startStateTableStandIn,
} from '../../support/aws-stand-ins/state-table-stand-in.js';

describe('DynamoDbStateStore against dynalite', () => {
  let standIn: StateTableStandIn;
  let store: DynamoDbStateStore;
  const now = new Date('2024-05-01T12:00:00.000Z');

  beforeAll(async () => {
    standIn = await startStateTableStandIn('state-store-test');
    store = new DynamoDbStateStore({ client: standIn.client, tableName: standIn.tableName, now: () => now });
  });

  afterAll(async () => {
    await standIn.close();
  });

  const message = (n: number, status = 'pending'): NewItem => ({
    id: `blocks/${n}`,
    kind: 'message#blocks',
    status,
    sortKey: String(n).padStart(20, '0'),
    data: { envelope: { key: String(n), nested: [{ hash: '0xab' }], empty: '' }, attempt: 1 },
  });

  it('creates once: a second create of the same id writes nothing', async () => {
    // Prepare
    const first = message(1);

    // Act
    const created = await store.create(first);
    const again = await store.create({ ...first, data: { other: true } });

    // Assess
    expect(created).toBe(true);
    expect(again).toBe(false);
    expect(await store.get('blocks/1')).toEqual({ ...first, version: 1, updatedAt: now.toISOString() });
  });

  it('writes expiresAt as the top-level number attribute the TTL reads, and a write without it clears it', async () => {
    // Prepare
    const expiresAt = 1_717_243_200;
    const proof = (status: string): NewItem => ({
      ...message(50, status),
      id: 'ttl/50',
      kind: 'message#ttl',
    });
    await store.create(proof('pending'));
    // Act
    await store.replace({ ...proof('proposed'), expiresAt }, 1);
    const raw = await standIn.client.send(
      new GetItemCommand({ TableName: standIn.tableName, Key: { id: { S: 'ttl/50' } } }),
    );
    const expiring = await store.get('ttl/50');
    await store.replace(proof('superseded'), 2);
    // Assess
    expect(raw.Item?.expiresAt).toEqual({ N: String(expiresAt) });
    expect(expiring).toMatchObject({ status: 'proposed', expiresAt });
    expect(await store.get('ttl/50')).not.toHaveProperty('expiresAt');
  });

  it('refuses an expiresAt that is not whole epoch seconds, naming the item', async () => {
    // Act
    const write = store.create({
      ...message(51),
      id: 'ttl/51',
      kind: 'message#ttl',
      expiresAt: Date.now() + 0.5,
    });
    // Assess
    await expect(write).rejects.toThrow(
      /state item "ttl\/51": expiresAt got .*, expected whole epoch seconds/,
    );
  });

  it('replaces only at the expected version and increments it', async () => {
    // Prepare
    await store.create(message(2));

    // Act
    const stale = await store.replace(message(2, 'collected'), 7);
    const current = await store.replace(message(2, 'collected'), 1);
    const missing = await store.replace(message(99), 1);

    // Assess
    expect(stale).toBe(false);
    expect(current).toBe(true);
    expect(missing).toBe(false);
    expect((await store.get('blocks/2'))?.version).toBe(2);
    expect((await store.get('blocks/2'))?.status).toBe('collected');
    expect(await store.get('blocks/99')).toBeUndefined();
  });

  it('lets exactly one of two concurrent writers at the same version win', async () => {
    // Prepare
    await store.create(message(3));

    // Act
    const results = await Promise.all([
      store.replace({ ...message(3), data: { writer: 'a' } }, 1),
      store.replace({ ...message(3), data: { writer: 'b' } }, 1),
    ]);

    // Assess
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get('blocks/3'))?.version).toBe(2);
  });

  it('lists one kind and status in sortKey order, from a sort key, with a limit across pages', async () => {
    // Prepare
    for (const n of [30, 12, 25, 11, 40]) await store.create({ ...message(n), kind: 'message#list' });
    await store.create({ ...message(41, 'collected'), kind: 'message#list' });

    // Act
    const all = await store.list('message#list', 'pending');
    const from = await store.list('message#list', 'pending', { fromSortKey: String(20).padStart(20, '0') });
    const limited = await store.list('message#list', 'pending', { limit: 2 });
    const collected = await store.list('message#list', 'collected');

    // Assess
    expect(all.map((i) => i.id)).toEqual(['blocks/11', 'blocks/12', 'blocks/25', 'blocks/30', 'blocks/40']);
    expect(from.map((i) => i.id)).toEqual(['blocks/25', 'blocks/30', 'blocks/40']);
    expect(limited.map((i) => i.id)).toEqual(['blocks/11', 'blocks/12']);
    expect(collected.map((i) => i.id)).toEqual(['blocks/41']);
  });

  it('moves an item between (kind, status) lists when its status is replaced', async () => {
    // Prepare
    await store.create({ ...message(50), kind: 'group#move' });

    // Act
    await store.replace({ ...message(50, 'running'), kind: 'group#move' }, 1);

    // Assess
    expect(await store.list('group#move', 'pending')).toEqual([]);
    expect((await store.list('group#move', 'running')).map((i) => i.version)).toEqual([2]);
  });

  it('deletes only at the expected version', async () => {
    // Prepare
    await store.create({ ...message(60), id: 'lease/0xabc', kind: 'lease' });

    // Act
    const stale = await store.delete('lease/0xabc', 2);
    const current = await store.delete('lease/0xabc', 1);
    const gone = await store.delete('lease/0xabc', 1);

    // Assess
    expect([stale, current, gone]).toEqual([false, true, false]);
    expect(await store.get('lease/0xabc')).toBeUndefined();
  });

  it('refuses an empty sort key with the item id in the message', async () => {
    // Act / Assess
    await expect(store.create({ ...message(70), sortKey: '' })).rejects.toThrow('blocks/70');
  });

  it('keeps data as one JSON string attribute, and reads items that hold it as a map (written before)', async () => {
    // Prepare: one item through the store, one written the old way (data as a nested map)
    const written = message(80);
    await store.create(written);
    const old = { ...message(81), version: 1, updatedAt: now.toISOString() };
    await standIn.client.send(
      new PutItemCommand({
        TableName: standIn.tableName,
        Item: marshall({
          id: old.id,
          kind: old.kind,
          status: old.status,
          kindStatus: kindStatusOf(old.kind, old.status),
          sortKey: old.sortKey,
          version: 1,
          data: old.data,
          updatedAt: old.updatedAt,
        }),
      }),
    );

    // Act
    const raw = await standIn.client.send(
      new GetItemCommand({ TableName: standIn.tableName, Key: { id: { S: written.id } } }),
    );
    const read = await store.getMany([written.id, old.id]);

    // Assess
    expect(raw.Item?.data).toEqual({ S: JSON.stringify(written.data) });
    expect(read).toEqual([{ ...written, version: 1, updatedAt: now.toISOString() }, old]);
    expect(await store.list('message#blocks', 'pending', { fromSortKey: old.sortKey, limit: 1 })).toEqual([
      old,
    ]);
  });

  it('refuses data with no JSON form, naming the item', async () => {
    // Act / Assess
    await expect(store.create({ ...message(82), data: { amount: 1n } })).rejects.toThrow(
      'state item "blocks/82": data has no JSON form',
    );
    expect(await store.get('blocks/82')).toBeUndefined();
  });

  it('reads several items at once, in the order asked, across BatchGetItem requests of 100 keys', async () => {
    // Prepare: 150 items, one of them replaced since its create
    const ids = Array.from({ length: 150 }, (_, i) => `many/${i}`);
    for (const [i, id] of ids.entries())
      await store.create({ ...message(1000 + i), id, kind: 'message#many' });
    await store.replace({ ...message(1000), id: 'many/0', kind: 'message#many', status: 'collected' }, 1);
    const asked = ['many/149', 'many/missing', ...ids, 'many/0'];

    // Act
    const read = await store.getMany(asked);

    // Assess
    expect(read).toHaveLength(asked.length);
    expect(read.map((item) => item?.id)).toEqual(asked.map((id) => (id === 'many/missing' ? undefined : id)));
    expect(read[2]).toMatchObject({ status: 'collected', version: 2 });
    expect(read[asked.length - 1]).toEqual(await store.get('many/0'));
    expect(await store.getMany([])).toEqual([]);
  });

  const spanItem = (i: number, version: number, expiresAt?: number): OverwrittenItem => ({
    id: `span/${i}`,
    kind: 'message#span',
    status: 'collected',
    sortKey: String(i).padStart(20, '0'),
    version,
    data: { i },
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });

  /** Records the number of puts of each BatchWriteItem `client` sends; `answer` may stand in for DynamoDB. */
  function watchBatchWrites(
    client: DynamoDBClient,
    answer?: (requests: unknown[]) => Record<string, unknown>,
  ): { sizes: number[]; tableName: () => string } {
    const sizes: number[] = [];
    let table = '';
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, unknown[]> };
        if (context.commandName !== 'BatchWriteItemCommand' || input.RequestItems === undefined)
          return next(args);
        const [name, requests] = Object.entries(input.RequestItems)[0] ?? ['', []];
        table = name;
        sizes.push(requests.length);
        if (answer === undefined) return next(args);
        return { output: { $metadata: {}, UnprocessedItems: answer(requests) }, response: {} } as never;
      },
      { step: 'build', name: 'watchBatchWrites' },
    );
    return { sizes, tableName: () => table };
  }

  it('overwriteMany writes every item as given (version and expiry, no condition) in BatchWriteItem calls of 25', async () => {
    // Prepare: 30 items at version 1, one of them replaced since (version 2)
    for (let i = 0; i < 30; i++) await store.create(spanItem(i, 1));
    await store.replace(spanItem(0, 1), 1);
    const expiresAt = 1_717_243_200;
    const client = new DynamoDBClient({ endpoint: standIn.endpoint });
    const watched = watchBatchWrites(client);
    const batching = new DynamoDbStateStore({ client, tableName: standIn.tableName, now: () => now });
    // Act: item 0 written at version 2 over its version 2, the others at 2 over 1
    await batching.overwriteMany(Array.from({ length: 30 }, (_, i) => spanItem(i, 2, expiresAt)));
    // Assess
    expect(watched.sizes).toEqual([25, 5]);
    const read = await store.getMany(Array.from({ length: 30 }, (_, i) => `span/${i}`));
    expect(read.map((r) => r?.version)).toEqual(Array.from({ length: 30 }, () => 2));
    expect(read[29]).toEqual({ ...spanItem(29, 2, expiresAt), updatedAt: now.toISOString() });
    expect(await store.list('message#span', 'collected')).toHaveLength(30);
  });

  it('overwriteMany sends what DynamoDB left unprocessed again, and names the table when it stays unprocessed', async () => {
    // Prepare: a client whose first answer leaves one put unprocessed; then one that never processes any
    const client = new DynamoDBClient({ endpoint: standIn.endpoint });
    let answers = 0;
    let stall = false;
    const watched = watchBatchWrites(client, (requests) => {
      answers += 1;
      if (stall) return { [standIn.tableName]: requests };
      return answers === 1 ? { [standIn.tableName]: requests.slice(0, 1) } : {};
    });
    const stalled = new DynamoDbStateStore({ client, tableName: standIn.tableName, backoffMs: 0 });
    // Act
    await stalled.overwriteMany([spanItem(1, 2), spanItem(2, 2)]);
    stall = true;
    const failing = stalled.overwriteMany([spanItem(3, 2)]);
    // Assess: the one left over was sent again alone; a put that never goes through is an error
    await expect(failing).rejects.toThrow(
      `BatchWriteItem on ${standIn.tableName}: 1 puts still unprocessed after 8 rounds`,
    );
    expect(watched.sizes).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(watched.tableName()).toBe(standIn.tableName);
  });
});
