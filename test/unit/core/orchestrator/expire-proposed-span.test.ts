import { describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { expireProposedSpan } from '../../../../lambdas/core/orchestrator/expire-proposed-span.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
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
    // Prepare: the store fails on the fifth expiry write.
    const t = await provenSpan();
    let writes = 0;
    t.store.beforeWrite = (operation) => {
      if (operation === 'replace' && ++writes === 5) throw new Error('crash');
    };
    const crashed = proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    await expect(crashed).rejects.toThrow('crash');
    t.store.beforeWrite = undefined;
    // Act
    const status = await proposerGateway(t.deps).settleProof('aggregate-proofs/0-10', 'proposed');
    // Assess
    expect(status).toBe('proposed');
    for (const id of SPAN_ITEMS) expect((await t.store.get(id))?.expiresAt, id).toBeDefined();
  });
});

describe('the expiry walk reads in batches', () => {
  it('reads the proof message once and each level of its chain with one batch read', async () => {
    // Prepare: a store that records its reads
    const t = await provenSpan();
    const reads: string[] = [];
    const store: StateStore = {
      ...t.store,
      get: (id) => {
        reads.push(`get ${id}`);
        return t.store.get(id);
      },
      getMany: (ids) => {
        reads.push(`getMany ${ids.length}`);
        return t.store.getMany(ids);
      },
      create: (item) => t.store.create(item),
      replace: (item, version) => t.store.replace(item, version),
      list: (kind, status, options) => t.store.list(kind, status, options),
      delete: (id, version) => t.store.delete(id, version),
    };
    // Act
    const expired = await expireProposedSpan({ ...t.deps, store }, 'aggregate-proofs/0-10');
    // Assess: aggregate group, its 2 range proofs; range groups, their 10 blocks; blocks have no producer
    // (the proof message itself gets its expiry when it is settled)
    expect(expired).toBe(SPAN_ITEMS.length - 1);
    expect(reads).toEqual(['get aggregate-proofs/0-10', 'getMany 1', 'getMany 2', 'getMany 2', 'getMany 10']);
  });
});
