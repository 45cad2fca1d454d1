import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../../lambdas/core/config/parse-pipeline-config.js';
import { InvalidInputError } from '../../../../lambdas/core/errors.js';
import { parseExecutorRequest } from '../../../../lambdas/core/executor/program-contracts.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { membershipOf } from './group-invariants.js';
import {
  blockEnvelope,
  devnetConfig,
  hashOf,
  makeDeps,
  ROLLUP_CONFIG_HASH,
  rangeProofEnvelope,
} from './orchestrator-fixture.js';

const CHECKPOINT = { l1BlockNumber: '77', l1BlockHash: hashOf(77n) };
const AGGREGATE_INPUTS = {
  checkpoint: CHECKPOINT,
  rangeVkey: hashOf(7n, 2),
  proverAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
};

describe('dispatchMessage', () => {
  it('records a message once, counts a duplicate delivery and writes nothing for it', async () => {
    // Prepare
    const t = makeDeps();
    const envelope = blockEnvelope(1n, t.clock);
    // Act
    const first = await dispatchMessage(t.deps, envelope);
    const second = await dispatchMessage(t.deps, envelope);
    // Assess
    expect([first.recorded, second.recorded]).toEqual(['new', 'duplicate']);
    const item = (await t.store.get('blocks/1'))!;
    expect(item).toMatchObject({
      kind: 'message#blocks',
      status: 'pending',
      version: 1,
      sortKey: '00000000000000000000',
    });
    expect(item.data.envelope).toEqual(envelope);
    expect(t.metrics.total(METRIC.duplicateDeliveries)).toBe(1);
  });

  it('submits a range job with a deterministic name and a valid range request in the blob store', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    // Assess
    expect(t.jobs.submitted).toHaveLength(1);
    const spec = t.jobs.submitted[0]!;
    expect(spec).toMatchObject({
      name: 'range-0-5-a1',
      groupId: 'range/0-5',
      attempt: 1,
      inputKey: 'jobs/range/0-5/a1/input.json',
      outputKey: 'jobs/range/0-5/a1/output.json',
    });
    const request = parseExecutorRequest('range', await t.blobs.getJson(spec.inputKey));
    expect(request).toMatchObject({
      start: '0',
      end: '5',
      rollupConfigHash: ROLLUP_CONFIG_HASH,
      proofMode: 'compressed',
      // devnet's range executor: the host picks l1Head 2 L1 blocks below the head
      l1HeadDepth: 2,
    });
    expect(request.program === 'range' && request.l1Head).toBeUndefined();
    expect(request.program === 'range' && request.blocks?.map((b) => b.number)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect((await t.store.get('range/0-5'))!).toMatchObject({
      status: 'running',
      data: { jobName: 'range-0-5-a1', jobId: 'job-1' },
    });
  });

  it('only records messages of a topic no stage consumes (the proposer reads them), sorted by range start', async () => {
    // Prepare
    const t = makeDeps();
    const envelope = makeEnvelope('aggregate-proofs', '0-10', { any: 'thing' }, t.clock.now());
    // Act
    const outcome = await dispatchMessage(t.deps, envelope);
    // Assess
    expect(outcome).toEqual({ messageId: 'aggregate-proofs/0-10', recorded: 'new', groups: [], expired: [] });
    expect((await t.store.get('aggregate-proofs/0-10'))!.sortKey).toBe('00000000000000000000');
  });

  it('refuses an envelope whose id is not <topic>/<key>, or whose key does not fit the stage', async () => {
    // Prepare
    const t = makeDeps();
    const envelope = blockEnvelope(1n, t.clock);
    // Act + Assess
    await expect(dispatchMessage(t.deps, { ...envelope, id: 'blocks/2' })).rejects.toThrow(InvalidInputError);
    await expect(dispatchMessage(t.deps, { ...envelope, key: 'x', id: 'blocks/x' })).rejects.toThrow(
      /key: block key "x" is not a decimal block number/,
    );
  });

  it('parks aggregate groups until giveCheckpoint, which submits once', async () => {
    // Prepare
    const t = makeDeps();
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    const outcome = await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    expect(outcome.groups).toEqual([{ groupId: 'aggregate/0-10', status: 'awaiting-checkpoint' }]);
    expect(t.jobs.submitted).toEqual([]);
    // Act
    const results = await Promise.all([
      giveCheckpoint(t.deps, 'aggregate/0-10', AGGREGATE_INPUTS),
      giveCheckpoint(t.deps, 'aggregate/0-10', AGGREGATE_INPUTS),
    ]);
    const later = await giveCheckpoint(t.deps, 'aggregate/0-10', AGGREGATE_INPUTS);
    // Assess
    expect(results.sort()).toEqual(['not-awaiting', 'submitted']);
    expect(later).toBe('not-awaiting');
    expect(await giveCheckpoint(t.deps, 'aggregate/10-20', AGGREGATE_INPUTS)).toBe('not-awaiting');
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['aggregate-0-10-a1']);
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a1/input.json'),
    );
    expect(request).toMatchObject({ start: '0', end: '10', checkpoint: CHECKPOINT, proofMode: 'groth16' });
    expect(request.program === 'aggregate' && request.ranges.map((r) => r.end)).toEqual(['5', '10']);
    expect((await t.store.get('aggregate/0-10'))!).toMatchObject({
      status: 'running',
      data: { checkpoint: CHECKPOINT },
    });
  });

  it('gives each stage of a fanned-out topic its own copy, so both collect every block', async () => {
    // Prepare: a second prover stage reading blocks too
    const base = devnetConfig();
    const config = parsePipelineConfig({
      ...base,
      stages: [...base.stages, { ...base.stages[0]!, name: 'range-b', outputTopic: 'range-proofs-b' }],
    });
    const t = makeDeps(config);
    // Act
    for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    await dispatchMessage(t.deps, blockEnvelope(3n, t.clock));
    // Assess
    expect((await t.store.get('range/0-5'))!.data.memberIds).toEqual(
      [1, 2, 3, 4, 5].map((n) => `range@blocks/${n}`),
    );
    expect((await t.store.get('range-b/0-5'))!.data.memberIds).toEqual(
      [1, 2, 3, 4, 5].map((n) => `range-b@blocks/${n}`),
    );
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-b-0-5-a1']);
    expect((await t.store.get('blocks/3'))!.status).toBe('pending');
    expect((await t.store.get('range-b@blocks/3'))!).toMatchObject({ kind: 'message#blocks@range-b' });
    expect(membershipOf(t.store.all(), 'range-b', 'range-b@blocks/3')).toBe('member');
  });

  it('reads a range-proof payload that travelled by key from the blob store', async () => {
    // Prepare
    const t = makeDeps();
    const inline = rangeProofEnvelope(0n, 10n, t.clock);
    await t.blobs.putJson('payloads/range-proofs/0-10.json', inline.payload);
    const { payload: _, ...rest } = inline;
    // Act
    await dispatchMessage(t.deps, { ...rest, payloadKey: 'payloads/range-proofs/0-10.json' });
    const result = await giveCheckpoint(t.deps, 'aggregate/0-10', AGGREGATE_INPUTS);
    // Assess
    expect(result).toBe('submitted');
    const request = parseExecutorRequest(
      'aggregate',
      await t.blobs.getJson('jobs/aggregate/0-10/a1/input.json'),
    );
    expect(request.program === 'aggregate' && request.ranges[0]!.end).toBe('10');
  });
});
