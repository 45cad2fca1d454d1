import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { expireProposedSpan } from '../../../../lambdas/core/orchestrator/expire-proposed-span.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
import { L2_REWIND_ID } from '../../../../lambdas/core/orchestrator/rewind/rewind-intent.js';
import type { StateStore } from '../../../../lambdas/core/ports/state-store.js';
import {
  aggregateResult,
  blockEnvelope,
  hashOf,
  makeDeps,
  rangeResult,
  TEST_PROVER,
  type TestDeps,
} from './orchestrator-fixture.js';

const DAY_SECONDS = 86_400;

async function succeed(t: TestDeps, stage: string, span: string, result: unknown): Promise<void> {
  await t.blobs.putJson(`jobs/${stage}/${span}/a1/output.json`, result);
  const groupId = `${stage}/${span}`;
  const jobName = `${stage}-${span}-a1`;
  expect(await finishJob(t.deps, { stage, groupId, attempt: 1, jobName, status: 'SUCCEEDED' })).toBe(
    'succeeded',
  );
  for (const envelope of t.bus.published.splice(0)) await dispatchMessage(t.deps, envelope);
}

/** Blocks 1…10 through range/0-5, range/5-10 and aggregate/0-10 to a pending aggregate proof. */
async function provenSpan(): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 10n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  await succeed(t, 'range', '0-5', rangeResult(0n, 5n));
  await succeed(t, 'range', '5-10', rangeResult(5n, 10n));
  const checkpoint = { l1BlockNumber: '77', l1BlockHash: hashOf(77n, 3) };
  const grant = { checkpoint, rangeVkey: hashOf(7n, 2), proverAddress: TEST_PROVER };
  expect(await giveCheckpoint(t.deps, 'aggregate/0-10', grant)).toBe('submitted');
  await succeed(t, 'aggregate', '0-10', aggregateResult(77n));
  return t;
}

const SPAN_ITEMS = [
  'aggregate-proofs/0-10',
  'aggregate/0-10',
  'range-proofs/0-5',
  'range-proofs/5-10',
  'range/0-5',
  'range/5-10',
  ...Array.from({ length: 10 }, (_, i) => `blocks/${i + 1}`),
];

describe('expiry of a proposed span', () => {
  it('gives the proof, its groups and every member message down to the blocks an expiry once proposed', async () => {
    // Prepare
    const t = await provenSpan();
    const before = await Promise.all(SPAN_ITEMS.map((id) => t.store.get(id)));
    // Act
    await proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    // Assess
    expect(before.map((item) => item?.expiresAt)).toEqual(SPAN_ITEMS.map(() => undefined));
    const expiresAt = t.clock.now().getTime() / 1000 + 30 * DAY_SECONDS;
    for (const id of SPAN_ITEMS) expect((await t.store.get(id))?.expiresAt, id).toBe(expiresAt);
    const withExpiry = t.store.all().filter((item) => item.expiresAt !== undefined);
    expect(withExpiry.map((item) => item.id).sort()).toEqual([...SPAN_ITEMS].sort());
  });

  it("follows a stage's copies of its members (`<stage>@<topic>/<key>`) to the groups that produced them", async () => {
    // Prepare: the aggregate group's members are its own copies, as when several stages read range-proofs
    const t = await provenSpan();
    const group = (await t.store.get('aggregate/0-10'))!;
    const copies = ['aggregate@range-proofs/0-5', 'aggregate@range-proofs/5-10'];
    for (const id of copies) {
      const original = (await t.store.get(id.slice('aggregate@'.length)))!;
      await t.store.create({ ...original, id, kind: `${original.kind}@aggregate` });
    }
    await t.store.replace({ ...group, data: { ...group.data, memberIds: copies } }, group.version);
    // Act
    await proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    // Assess
    for (const id of [...copies, 'range/0-5', 'range/5-10', 'blocks/1', 'blocks/10'])
      expect((await t.store.get(id))?.expiresAt, id).toBeDefined();
  });

  it("gives a skipped proof's chain no expiry: only the skipped message expires", async () => {
    // Prepare
    const t = await provenSpan();
    // Act
    await proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'skipped');
    // Assess: a skipped proof is not a proposal; its chain may be needed again
    expect((await t.store.get('aggregate-proofs/0-10'))?.expiresAt).toBeDefined();
    expect(t.store.all().filter((item) => item.expiresAt !== undefined)).toHaveLength(1);
  });

  it('completes the expiry when the settle is repeated after a crash part way', async () => {
    // Prepare: the store fails on the fifth item of the expiry's batch write (the first four written).
    const t = await provenSpan();
    let writes = 0;
    t.store.beforeWrite = (operation) => {
      if (operation === 'overwrite' && ++writes === 5) throw new Error('crash');
    };
    const crashed = proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    await expect(crashed).rejects.toThrow('crash');
    t.store.beforeWrite = undefined;
    // Act
    const status = await proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    // Assess
    expect(writes).toBe(5);
    expect(status).toBe('proposed');
    for (const id of SPAN_ITEMS) expect((await t.store.get(id))?.expiresAt, id).toBeDefined();
  });
});

/** A store over `t.store` that records each call (writes by kind, batch sizes). */
function recordingStore(t: TestDeps): { store: StateStore; calls: string[] } {
  const calls: string[] = [];
  const store: StateStore = {
    get: (id) => {
      calls.push(`get ${id}`);
      return t.store.get(id);
    },
    getMany: (ids) => {
      calls.push(`getMany ${ids.length}`);
      return t.store.getMany(ids);
    },
    create: (item) => {
      calls.push(`create ${item.id}`);
      return t.store.create(item);
    },
    replace: (item, version) => {
      calls.push(`replace ${item.id}`);
      return t.store.replace(item, version);
    },
    overwriteMany: (items) => {
      calls.push(`overwriteMany ${items.length}`);
      return t.store.overwriteMany(items);
    },
    list: (kind, status, options) => {
      calls.push(`list ${kind} ${status}`);
      return t.store.list(kind, status, options);
    },
    delete: (id, version) => {
      calls.push(`delete ${id}`);
      return t.store.delete(id, version);
    },
  };
  return { store, calls };
}

describe('the expiry walk reads and writes in batches', () => {
  it('settling a proposed proof of 10 blocks: one batch read per level, ONE batch write, the message settled from its read', async () => {
    // Prepare: a store that records its calls
    const t = await provenSpan();
    const spanItems = SPAN_ITEMS.slice(1);
    const before = await Promise.all(spanItems.map(async (id) => (await t.store.get(id))!.version));
    const { store, calls } = recordingStore(t);
    // Act
    const status = await proposerGateway({ ...t.deps, store }).settleProof(
      'aggregate-proofs/0-10',
      'proposed',
    );
    // Assess: the proof message (with the rewind intent and the aggregate group its id names); the
    // group's 2 range proofs with the 2 range groups their ids name; their 10 blocks; 15 expiries in
    // one batch write; the message's own conditional settle
    expect(status).toBe('proposed');
    expect(calls).toEqual([
      'getMany 3',
      'getMany 4',
      'getMany 10',
      `overwriteMany ${SPAN_ITEMS.length - 1}`,
      'replace aggregate-proofs/0-10',
    ]);
    const after = await Promise.all(spanItems.map(async (id) => (await t.store.get(id))?.version));
    // Each at its version + 1: a writer that read it before fails its condition and reads again.
    expect(after).toEqual(before.map((version) => version + 1));
  });

  it('while an L2 rewind is recorded, each item takes a conditional write; one changed meanwhile keeps no expiry', async () => {
    // Prepare: a rewind in progress, and a block message another writer changes after the walk read it
    const t = await provenSpan();
    await t.store.create({ id: L2_REWIND_ID, kind: 'rewind', status: 'recorded', sortKey: 'l2', data: {} });
    const { store, calls } = recordingStore(t);
    const raced = 'blocks/7';
    const racing: StateStore = {
      ...store,
      replace: async (item, version) => {
        if (item.id === raced) {
          const current = (await t.store.get(raced))!;
          await t.store.replace({ ...current, status: 'invalidated' }, current.version);
        }
        return store.replace(item, version);
      },
    };
    // Act
    const { expired } = await expireProposedSpan({ ...t.deps, store: racing }, 'aggregate-proofs/0-10');
    // Assess: no batch write; the raced item keeps its other writer's change and no expiry
    expect(calls.filter((call) => call.startsWith('overwriteMany'))).toEqual([]);
    expect(expired).toBe(SPAN_ITEMS.length - 2);
    const racedItem = await t.store.get(raced);
    expect(racedItem?.status).toBe('invalidated');
    expect(racedItem?.expiresAt).toBeUndefined();
    expect(t.logger.entries.some((e) => e.message.includes('keeps none'))).toBe(true);
  });
});
