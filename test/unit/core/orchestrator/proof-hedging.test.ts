import { describe, expect, it } from 'vitest';
import type { HedgeConfig } from '../../../../lambdas/core/config/hedge-schema.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import { jobOutputKey } from '../../../../lambdas/core/messages/blob-keys.js';
import { StageSpend } from '../../../../lambdas/core/orchestrator/budget/stage-spend.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { GroupRepository } from '../../../../lambdas/core/orchestrator/group/group-repository.js';
import { hedgeRunningGroups } from '../../../../lambdas/core/orchestrator/group/hedge-running-groups.js';
import type { JobCompletion } from '../../../../lambdas/core/orchestrator/group/job-completion.js';
import { COMPLETION_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/reconcile-running-groups.js';
import { JobDurations } from '../../../../lambdas/core/orchestrator/hedge/job-durations.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { provingStageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import { blockEnvelope, devnetConfig, makeDeps, rangeResult, type TestDeps } from './orchestrator-fixture.js';

const MAIN = 'range-0-5-a1';
const HEDGE = 'range-0-5-a1-h';
const HEDGE_OUTPUT = 'jobs/range/0-5/a1/hedge/output.json';

/** The devnet config with `executor.hedge` on the range stage (p90 × 2, RUNNABLE past 150 s). */
function hedgedConfig(hedge: Partial<HedgeConfig> = {}): PipelineConfig {
  const base = devnetConfig();
  const config: HedgeConfig = {
    afterP90Multiple: 2,
    minSamples: 5,
    runnableSeconds: 150,
    maxShare: 0.5,
    queue: 'on-demand',
    ...hedge,
  };
  return {
    ...base,
    stages: base.stages.map((s) =>
      isProvingStage(s) && s.name === 'range' ? { ...s, executor: { ...s.executor, hedge: config } } : s,
    ),
  };
}

/**
 * range/0-5 running as range-0-5-a1, with `samples` observed 100 s durations of its size bucket (8)
 * and `spentGpuSeconds` of the stage's GPU time today.
 */
async function straggling(
  options: { samples?: number; spentGpuSeconds?: number; hedge?: Partial<HedgeConfig> } = {},
): Promise<TestDeps> {
  const t = makeDeps(hedgedConfig(options.hedge));
  const durations = new JobDurations(t.store, 'range', 8);
  for (let i = 0; i < (options.samples ?? 5); i++) await durations.add(100);
  await new StageSpend(t.store, 'range', '2025-01-01').add('earlier-jobs', options.spentGpuSeconds ?? 10_000);
  for (let n = 1n; n <= 5n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  expect((await t.store.get('range/0-5'))?.status).toBe('running');
  return t;
}

async function sweep(t: TestDeps): Promise<void> {
  await runCollectors(t.deps, undefined, { sweeps: true });
}

function completion(
  jobName: string,
  status: JobCompletion['status'],
  extra: Partial<JobCompletion> = {},
): JobCompletion {
  return {
    stage: 'range',
    groupId: 'range/0-5',
    attempt: 1,
    jobName,
    status,
    durationSeconds: 250,
    ...extra,
  };
}

describe('proof hedging: starting a hedge', () => {
  it('submits a hedge of the same attempt to the on-demand queue once the job runs 2 × p90, and records it on the group', async () => {
    // Prepare: p90 100 s
    const t = await straggling();
    // Act: at 199 s nothing; at 200 s a hedge
    t.clock.advanceSeconds(199);
    await sweep(t);
    const early = t.jobs.byName(HEDGE);
    t.clock.advanceSeconds(1);
    await sweep(t);
    // Assess
    expect(early).toBeUndefined();
    expect(t.jobs.byName(HEDGE)).toMatchObject({
      groupId: 'range/0-5',
      attempt: 1,
      inputKey: t.jobs.byName(MAIN)!.inputKey,
      outputKey: HEDGE_OUTPUT,
      queue: 'on-demand',
    });
    const group = await new GroupRepository(t.store).get('range/0-5');
    expect(group?.status === 'running' && group.job.hedge).toMatchObject({
      name: HEDGE,
      reason: 'slow: running 200 s ≥ 2 × p90 100 s (bucket 8, 5 samples)',
      submission: { jobId: 'job-2' },
    });
    expect(t.metrics.total(METRIC.hedgesStarted)).toBe(1);
  });

  it('starts no hedge below minSamples observed durations, and one once the fifth is in', async () => {
    // Prepare: 4 of 5 samples
    const t = await straggling({ samples: 4 });
    // Act
    t.clock.advanceSeconds(5000);
    await sweep(t);
    const withFour = t.jobs.submitted.map((s) => s.name);
    await new JobDurations(t.store, 'range', 8).add(100);
    t.clock.advanceSeconds(60);
    await sweep(t);
    // Assess
    expect(withFour).toEqual([MAIN]);
    expect(t.jobs.submitted.map((s) => s.name)).toEqual([MAIN, HEDGE]);
  });

  it('hedges a job that waits RUNNABLE past runnableSeconds', async () => {
    // Prepare: the job never got capacity
    const t = await straggling();
    t.jobs.setState(MAIN, { state: 'active', runnable: { since: t.clock.now().toISOString() } });
    // Act
    t.clock.advanceSeconds(149);
    await sweep(t);
    const early = t.jobs.byName(HEDGE);
    t.clock.advanceSeconds(1);
    await sweep(t);
    // Assess
    expect(early).toBeUndefined();
    expect(t.jobs.byName(HEDGE)?.queue).toBe('on-demand');
    const group = await new GroupRepository(t.store).get('range/0-5');
    expect(group?.status === 'running' && group.job.hedge?.reason).toMatch(/^runnable: waiting 150 s/);
  });

  it('holds a hedge back when it would pass the day’s share, and names the cap', async () => {
    // Prepare: 150 GPU-seconds today; a 100 s hedge passes 0.5 × 150
    const t = await straggling({ spentGpuSeconds: 150 });
    // Act
    t.clock.advanceSeconds(300);
    await sweep(t);
    // Assess
    expect(t.jobs.byName(HEDGE)).toBeUndefined();
    expect(JSON.stringify(t.logger.entries)).toContain(
      'hedge-cap: range hedges would reach 100 of 75 GPU-seconds (0.5 of 150 spent on 2025-01-01)',
    );
  });

  it('starts one hedge however many sweeps run, also two at once over the same listing', async () => {
    // Prepare
    const t = await straggling();
    t.clock.advanceSeconds(300);
    const running = await new GroupRepository(t.store).list('range', 'running');
    // Act: two concurrent sweeps over one stale listing, then two more scheduled ones
    const stage = provingStageNamed(t.deps.config, t.deps.config.stages[0]!.name);
    const [a, b] = await Promise.all([
      hedgeRunningGroups(t.deps, stage, running),
      hedgeRunningGroups(t.deps, stage, running),
    ]);
    await sweep(t);
    t.clock.advanceSeconds(60);
    await sweep(t);
    // Assess
    expect([...a, ...b]).toEqual(['range/0-5']);
    expect(t.jobs.submitted.map((s) => s.name)).toEqual([MAIN, HEDGE]);
    expect(t.metrics.total(METRIC.hedgesStarted)).toBe(1);
  });
});

describe('proof hedging: the race', () => {
  async function hedged(): Promise<TestDeps> {
    const t = await straggling();
    t.clock.advanceSeconds(300);
    await sweep(t);
    expect(t.jobs.byName(HEDGE)).toBeDefined();
    return t;
  }

  it('a hedge that wins: its result is published once, the main job is terminated and its late events ignored', async () => {
    // Prepare
    const t = await hedged();
    await t.blobs.putJson(HEDGE_OUTPUT, rangeResult(0n, 5n));
    // Act
    const won = await finishJob(t.deps, completion(HEDGE, 'SUCCEEDED'));
    const lateFailure = await finishJob(
      t.deps,
      completion(MAIN, 'FAILED', { reason: t.jobs.terminated[0]!.reason }),
    );
    await t.blobs.putJson(jobOutputKey('range', '0-5', 1), rangeResult(0n, 5n));
    const lateSuccess = await finishJob(t.deps, completion(MAIN, 'SUCCEEDED'));
    // Assess
    expect([won, lateFailure, lateSuccess]).toEqual(['succeeded', 'ignored', 'ignored']);
    expect(t.bus.published.map((e) => e.id)).toEqual(['range-proofs/0-5']);
    expect(t.jobs.terminated).toEqual([
      { name: MAIN, reason: `hedge-race: ${HEDGE} won the race for range/0-5` },
    ]);
    const group = await new GroupRepository(t.store).get('range/0-5');
    expect(group?.status === 'succeeded' && group.job?.hedge?.winner).toBe('hedge');
    expect(t.metrics.total(METRIC.hedgesWon)).toBe(1);
    expect(t.metrics.total(METRIC.hedgesWasted)).toBe(300);
    expect(t.metrics.total(METRIC.jobFailed)).toBe(0);
  });

  it('a hedge that loses: the main result wins, the hedge is terminated and its late result ignored', async () => {
    // Prepare
    const t = await hedged();
    await t.blobs.putJson(jobOutputKey('range', '0-5', 1), rangeResult(0n, 5n));
    // Act
    const won = await finishJob(t.deps, completion(MAIN, 'SUCCEEDED'));
    await t.blobs.putJson(HEDGE_OUTPUT, rangeResult(0n, 5n));
    const late = await finishJob(t.deps, completion(HEDGE, 'SUCCEEDED'));
    // Assess
    expect([won, late]).toEqual(['succeeded', 'ignored']);
    expect(t.bus.published.map((e) => e.id)).toEqual(['range-proofs/0-5']);
    expect(t.jobs.terminated.map((j) => j.name)).toEqual([HEDGE]);
    expect(t.metrics.total(METRIC.hedgesWon)).toBe(0);
    expect(t.metrics.total(METRIC.hedgesStarted)).toBe(1);
    const durations = await new JobDurations(t.store, 'range', 8).read();
    expect(durations.seconds).toEqual([100, 100, 100, 100, 100, 250]);
  });

  it('one job failing waits for the other; both failing fail the attempt once', async () => {
    // Prepare
    const t = await hedged();
    // Act: the main job fails while the hedge runs, then the hedge fails too
    const first = await finishJob(
      t.deps,
      completion(MAIN, 'FAILED', { reason: 'host reclaimed', failureClass: 'infrastructure' }),
    );
    const whileWaiting = (await t.store.get('range/0-5'))?.status;
    const second = await finishJob(t.deps, completion(HEDGE, 'FAILED', { reason: 'exit code 1' }));
    // Assess: one failure counted, the next attempt started
    expect([first, whileWaiting, second]).toEqual(['ignored', 'running', 'retried']);
    expect(t.metrics.total(METRIC.jobFailed)).toBe(1);
    const group = await new GroupRepository(t.store).get('range/0-5');
    expect(group).toMatchObject({ attempt: 2, failures: 1 });
    expect(JSON.stringify(t.logger.entries)).toContain(
      'both jobs of the hedged attempt failed: main: host reclaimed; hedge: exit code 1',
    );
  });

  it('completes a hedge whose event never arrived from the runner, while the failed main job waits', async () => {
    // Prepare: the main job failed (its event arrived), the hedge succeeded without an event
    const t = await hedged();
    await finishJob(
      t.deps,
      completion(MAIN, 'FAILED', { reason: 'host reclaimed', failureClass: 'infrastructure' }),
    );
    await t.blobs.putJson(HEDGE_OUTPUT, rangeResult(0n, 5n));
    t.jobs.setState(HEDGE, { state: 'succeeded' });
    t.jobs.setState(MAIN, { state: 'failed', reason: 'host reclaimed', failureClass: 'infrastructure' });
    // Act: past the hedge's timeout and grace
    t.clock.advanceSeconds(
      provingStageNamed(t.deps.config, t.deps.config.stages[0]!.name).executor.timeoutSeconds +
        COMPLETION_GRACE_SECONDS,
    );
    await sweep(t);
    // Assess
    const group = await new GroupRepository(t.store).get('range/0-5');
    expect(group?.status === 'succeeded' && group.job?.hedge?.winner).toBe('hedge');
    expect(t.bus.published.map((e) => e.id)).toEqual(['range-proofs/0-5']);
    expect(t.metrics.total(METRIC.jobFailed)).toBe(0);
  });
});
