import { describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import { DeliveryBatch } from '../../../../lambdas/core/orchestrator/dispatch-batch.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { runScheduledCollectors } from '../../../../lambdas/core/orchestrator/scheduled-collectors.js';
import type { OrchestratorDeps } from '../../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import {
  blockEnvelope,
  devnetConfig,
  makeDeps,
  rangeProofEnvelope,
  rangeResult,
  type TestDeps,
} from './orchestrator-fixture.js';
import { recordingStore } from './recording-store.js';

/** Blocks 1-20 proven in four ranges, so aggregate/0-10 and aggregate/10-20 wait for their checkpoint. */
async function twentyBlocksProven(t: TestDeps, deps: OrchestratorDeps): Promise<void> {
  for (let start = 0n; start < 20n; start += 5n) {
    const batch = new DeliveryBatch(deps);
    for (let n = start + 1n; n <= start + 5n; n++) await batch.record(blockEnvelope(n, t.clock));
    await batch.collect();
    await t.blobs.putJson(`jobs/range/${start}-${start + 5n}/a1/output.json`, rangeResult(start, start + 5n));
    const [groupId, jobName] = [`range/${start}-${start + 5n}`, `range-${start}-${start + 5n}-a1`];
    await finishJob(deps, { stage: 'range', groupId, attempt: 1, jobName, status: 'SUCCEEDED' });
  }
  const proofs = new DeliveryBatch(deps);
  for (const envelope of t.bus.onTopic('range-proofs')) await proofs.record(envelope);
  await proofs.collect();
}

const groupLists = (calls: readonly string[]) => calls.filter((call) => call.startsWith('list group#'));

/** The group lists of one sweep of `stage`, in their order. */
const sweepLists = (stage: string) =>
  ['collected', 'running', 'failed', 'retried'].map((status) => `list group#${stage} ${status}`);

/** A process (one set of deps over a recording store) past its first scheduled run, its calls cleared. */
async function afterFirstSweep(config: PipelineConfig = devnetConfig()) {
  const t = makeDeps(config);
  const { store, calls } = recordingStore(t.store);
  const deps = { ...t.deps, store };
  await runScheduledCollectors(deps);
  calls.splice(0);
  return { t, deps, calls };
}

describe('the store calls of one recovery sweep (devnet config)', () => {
  it('lists each stage group status once and its inbox once, one batch read per stage, 12 calls in all', async () => {
    // Prepare: a warm process past its first sweep, blocks 1-20 proven
    const { t, deps, calls } = await afterFirstSweep();
    await twentyBlocksProven(t, deps);
    t.clock.advanceSeconds(30);
    calls.splice(0);

    // Act: the next watcher tick whose sweep is due
    await runScheduledCollectors(deps);

    // Assess: the aggregate inbox is listed once, for the stale messages and the plan page together
    const readAhead = Array.from({ length: 30 }, (_, i) => `blocks/${21 + i}`).join(',');
    expect(calls).toEqual([
      `getMany cursor/range,pause/stage/range,breaker/range,${readAhead}`,
      'list message#blocks pending',
      ...sweepLists('range'),
      'getMany cursor/aggregate,pause/stage/aggregate,breaker/aggregate',
      'list message#range-proofs pending',
      ...sweepLists('aggregate'),
    ]);
  });

  it('sweeps every 30 s (half the claim grace), not every 15 s', async () => {
    // Prepare
    const { t, deps, calls } = await afterFirstSweep();

    // Act: ticks 15 s and 30 s after the first sweep
    t.clock.advanceSeconds(15);
    await runScheduledCollectors(deps);
    const after15 = groupLists(calls.splice(0));
    t.clock.advanceSeconds(15);
    await runScheduledCollectors(deps);
    const after30 = groupLists(calls.splice(0));

    // Assess
    expect(after15).toEqual([]);
    expect(after30).toEqual([...sweepLists('range'), ...sweepLists('aggregate')]);
  });

  it('keeps sweeping a stage that hedges every 15 s: its sweep starts the hedges', async () => {
    // Prepare: the range stage hedges
    const config = devnetConfig();
    const hedge = { afterP90Multiple: 2, minSamples: 5, maxShare: 0.1, queue: 'on-demand' as const };
    const stages = config.stages.map((stage) =>
      isProvingStage(stage) && stage.name === 'range'
        ? { ...stage, executor: { ...stage.executor, hedge } }
        : stage,
    );
    const { t, deps, calls } = await afterFirstSweep({ ...config, stages });

    // Act
    t.clock.advanceSeconds(15);
    await runScheduledCollectors(deps);

    // Assess: the range stage sweeps, the aggregate stage waits for its 30 s
    expect(groupLists(calls)).toEqual(sweepLists('range'));
  });

  it('skips a stale range proof and forms the group at the cursor from the one list of the inbox', async () => {
    // Prepare: aggregate/0-10 formed (its cursor at 10); an overlapping proof of 3-8 behind the cursor
    // and the proofs of 10-15 and 15-20 at it recorded by a dispatch that died before its collector run
    const t = makeDeps();
    const formed = new DeliveryBatch(t.deps);
    for (const start of [0n, 5n]) await formed.record(rangeProofEnvelope(start, start + 5n, t.clock));
    await formed.collect();
    const died = new DeliveryBatch(t.deps);
    for (const [start, end] of [
      [3n, 8n],
      [10n, 15n],
      [15n, 20n],
    ] as const)
      await died.record(rangeProofEnvelope(start, end, t.clock));
    const { store, calls } = recordingStore(t.store);

    // Act
    const outcome = await runCollectors({ ...t.deps, store }, [t.deps.config.stages[1]!], { sweeps: true });

    // Assess
    expect(outcome.groups.map((handover) => handover.groupId)).toEqual(['aggregate/10-20']);
    const skipped = t.logger.entries.filter((entry) => entry.message === 'message behind the cursor skipped');
    expect(skipped.map((entry) => entry.attributes?.messageId)).toEqual(['range-proofs/3-8']);
    expect(calls.filter((call) => call.startsWith('list message#'))).toEqual([
      'list message#range-proofs pending',
    ]);
  });
});
