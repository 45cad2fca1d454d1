import { describe, expect, it } from 'vitest';
import type { BudgetConfig } from '../../../../lambdas/core/config/budget-schema.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../../lambdas/core/config/stage-schema.js';
import { exhaustionReason } from '../../../../lambdas/core/orchestrator/budget/budget-guard.js';
import { StageSpend } from '../../../../lambdas/core/orchestrator/budget/stage-spend.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import { giveCheckpoint } from '../../../../lambdas/core/orchestrator/group/give-checkpoint.js';
import type { JobCompletion } from '../../../../lambdas/core/orchestrator/group/job-completion.js';
import { COMPLETION_GRACE_SECONDS } from '../../../../lambdas/core/orchestrator/group/reconcile-running-groups.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
import { runCollectors } from '../../../../lambdas/core/orchestrator/run-collectors.js';
import { provingStageNamed } from '../../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { METRIC } from '../../../../lambdas/core/ports/telemetry.js';
import {
  blockEnvelope,
  devnetConfig,
  hashOf,
  makeDeps,
  rangeProofEnvelope,
  rangeResult,
  type TestDeps,
} from './orchestrator-fixture.js';

const GRANT = {
  checkpoint: { l1BlockNumber: '77', l1BlockHash: hashOf(77n) },
  rangeVkey: hashOf(7n, 2),
  proverAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
};

/** The devnet config with `budget` (and optionally a GPU count) on one stage's executor. */
function withBudget(stage: string, budget: BudgetConfig, gpus?: number): PipelineConfig {
  const base = devnetConfig();
  return {
    ...base,
    stages: base.stages.map((s) =>
      s.name !== stage || !isProvingStage(s)
        ? s
        : {
            ...s,
            executor: {
              ...s.executor,
              budget,
              resources: { ...s.executor.resources, gpus: gpus ?? s.executor.resources.gpus },
            },
          },
    ),
  };
}

/** Deps over `config` with blocks 1..`blocks` dispatched (range groups of 5 running, attempt 1). */
async function withBlocks(config: PipelineConfig, blocks: number): Promise<TestDeps> {
  const t = makeDeps(config);
  for (let n = 1n; n <= BigInt(blocks); n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  return t;
}

/** A range job's completion after `seconds` of run time. */
function rangeDone(
  span: string,
  status: JobCompletion['status'],
  seconds: number,
  attempt = 1,
): JobCompletion {
  return {
    stage: 'range',
    groupId: `range/${span}`,
    attempt,
    jobName: `range-${span}-a${attempt}`,
    status,
    ...(status === 'FAILED' ? { reason: 'exit code 1' } : {}),
    durationSeconds: seconds,
  };
}

async function succeedRange(t: TestDeps, start: bigint, end: bigint, seconds: number): Promise<unknown> {
  await t.blobs.putJson(`jobs/range/${start}-${end}/a1/output.json`, rangeResult(start, end));
  return finishJob(t.deps, rangeDone(`${start}-${end}`, 'SUCCEEDED', seconds));
}

describe('cost guard: the day spend', () => {
  it('adds every finished job once (succeeded or failed) as run time × GPUs, and a redelivery adds nothing', async () => {
    // Prepare: 2 GPUs per range job
    const t = await withBlocks(withBudget('range', { dailyGpuHours: 10 }, 2), 10);
    // Act
    await succeedRange(t, 0n, 5n, 600);
    await finishJob(t.deps, rangeDone('0-5', 'SUCCEEDED', 600));
    await finishJob(t.deps, rangeDone('5-10', 'FAILED', 300));
    await finishJob(t.deps, rangeDone('5-10', 'FAILED', 300));
    // Assess
    expect((await t.store.get('budget/range/2025-01-01'))!).toMatchObject({
      kind: 'budget',
      status: 'open',
      data: { gpuSeconds: 1800, jobs: ['range-0-5-a1', 'range-5-10-a1'] },
    });
    expect(t.metrics.lastGauge(METRIC.budgetSpentGpuHours)).toBe(0.5);
  });

  it('counts a GPU-less job as one GPU, and nothing for a stage without a budget', async () => {
    // Prepare: the devnet's range jobs ask for no GPU
    const t = await withBlocks(withBudget('range', { dailyGpuHours: 10 }), 5);
    // Act
    await succeedRange(t, 0n, 5n, 90);
    // Assess
    expect((await t.store.get('budget/range/2025-01-01'))!.data.gpuSeconds).toBe(90);
    const unbudgeted = await withBlocks(devnetConfig(), 5);
    await succeedRange(unbudgeted, 0n, 5n, 90);
    expect(await unbudgeted.store.get('budget/range/2025-01-01')).toBeUndefined();
  });

  it('counts a job completed by reconciliation (its event lost) with the run time the runner reports', async () => {
    // Prepare: range/0-5's event never arrives; Batch says it succeeded after 30 minutes
    const t = await withBlocks(withBudget('range', { dailyGpuHours: 10 }), 5);
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', rangeResult(0n, 5n));
    t.jobs.setState('range-0-5-a1', { state: 'succeeded', durationSeconds: 1800 });
    t.clock.advanceSeconds(
      provingStageNamed(t.deps.config, t.deps.config.stages[0]!.name).executor.timeoutSeconds +
        COMPLETION_GRACE_SECONDS,
    );
    // Act
    await runCollectors(t.deps, undefined, { sweeps: true });
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('succeeded');
    expect((await t.store.get('budget/range/2025-01-01'))!.data).toMatchObject({
      gpuSeconds: 1800,
      jobs: ['range-0-5-a1'],
    });
  });
});

describe('cost guard: the wait', () => {
  it('holds new jobs back with a named reason once the day is spent, lets in-flight jobs finish, and resumes the next UTC day', async () => {
    // Prepare: range/0-5 and range/5-10 running under a 1 GPU-hour budget; 0-5 spends it
    const t = await withBlocks(withBudget('range', { dailyGpuHours: 1 }), 10);
    await succeedRange(t, 0n, 5n, 3600);
    // Act: a new group forms while the budget is spent
    for (let n = 11n; n <= 15n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
    const inFlight = await succeedRange(t, 5n, 10n, 1800);
    // Assess: nothing new submitted, the group waits collected, the reason is stored, counted and logged
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['range-0-5-a1', 'range-5-10-a1']);
    expect(inFlight).toBe('succeeded');
    expect((await t.store.get('range/10-15'))!.status).toBe('collected');
    expect((await t.store.get('budget/range/2025-01-01'))!).toMatchObject({
      status: 'waiting',
      data: {
        gpuSeconds: 5400,
        waiting: { reason: 'budget-exhausted: range spent 1 of 1 GPU-hours on 2025-01-01' },
      },
    });
    expect(t.metrics.lastGauge(METRIC.budgetWaiting)).toBe(1);
    expect(t.logger.at('warn').some((e) => e.attributes?.budgetId === 'budget/range/2025-01-01')).toBe(true);

    // Act: the scheduled sweep on the next UTC day
    t.clock.advanceSeconds(86_400);
    await runCollectors(t.deps);
    // Assess
    expect((await t.store.get('range/10-15'))!.status).toBe('running');
    expect(t.jobs.submitted.at(-1)!.name).toBe('range-10-15-a1');
    expect(t.metrics.lastGauge(METRIC.budgetWaiting)).toBe(0);
  });

  it('holds a retry back (nothing failed or dropped) and starts it from the sweep the next day', async () => {
    // Prepare: range/0-5 fails after spending the day's budget
    const t = await withBlocks(withBudget('range', { dailyGpuHours: 1 }), 5);
    // Act
    const outcome = await finishJob(t.deps, rangeDone('0-5', 'FAILED', 3600));
    // Assess
    expect(outcome).toBe('retried');
    expect((await t.store.get('range/0-5'))!).toMatchObject({ status: 'retried', data: { attempt: 2 } });
    expect(t.jobs.submitted).toHaveLength(1);

    // Act
    t.clock.advanceSeconds(86_400);
    await runCollectors(t.deps);
    // Assess
    expect((await t.store.get('range/0-5'))!.status).toBe('running');
    expect(t.jobs.submitted.at(-1)!.name).toBe('range-0-5-a2');
  });

  it("holds an aggregate's start after its checkpoint back until the budget is raised", async () => {
    // Prepare: the aggregate stage's day is spent; aggregate/0-10 awaits its checkpoint
    const t = makeDeps(withBudget('aggregate', { dailyUsd: 2, usdPerGpuHour: 1 }));
    await new StageSpend(t.store, 'aggregate', '2025-01-01').add('aggregate-x-a1', 7200);
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    // Act
    const held = await giveCheckpoint(t.deps, 'aggregate/0-10', GRANT);
    const raised = { ...t.deps, config: withBudget('aggregate', { dailyUsd: 3, usdPerGpuHour: 1 }) };
    const started = await giveCheckpoint(raised, 'aggregate/0-10', GRANT);
    // Assess
    expect([held, started]).toEqual(['paused', 'submitted']);
    expect(t.jobs.submitted.map((j) => j.name)).toEqual(['aggregate-0-10-a1']);
    expect((await t.store.get('budget/aggregate/2025-01-01'))!).toMatchObject({ status: 'open' });
    expect((await t.store.get('budget/aggregate/2025-01-01'))!.data.waiting).toBeUndefined();
  });

  it('shows the proposer no aggregate group to checkpoint while the stage waits for its budget', async () => {
    // Prepare: aggregate/0-10 awaits its checkpoint; the aggregate stage's day is spent
    const t = makeDeps(withBudget('aggregate', { dailyGpuHours: 1 }));
    await new StageSpend(t.store, 'aggregate', '2025-01-01').add('aggregate-x-a1', 3600);
    await dispatchMessage(t.deps, rangeProofEnvelope(0n, 5n, t.clock));
    await dispatchMessage(t.deps, rangeProofEnvelope(5n, 10n, t.clock));
    const gateway = proposerGateway(t.deps);
    // Act
    const today = await gateway.groupsAwaitingCheckpoint();
    t.clock.advanceSeconds(86_400);
    const tomorrow = await gateway.groupsAwaitingCheckpoint();
    // Assess: no checkpoint transaction is spent on a group that could not start
    expect(today).toEqual([]);
    expect(tomorrow.map((group) => group.id)).toEqual(['aggregate/0-10']);
  });

  it('names an estimated dollar budget with its GPU-hours and price', () => {
    // Prepare
    const spend = { stage: 'range', day: '2026-12-01', gpuSeconds: 3700, jobs: [] };
    // Act
    const reason = exhaustionReason('range', { dailyUsd: 1, usdPerGpuHour: 0.98 }, spend);
    const under = exhaustionReason('range', { dailyUsd: 2, usdPerGpuHour: 0.98 }, spend);
    // Assess
    expect(reason).toBe(
      'budget-exhausted: range spent an estimated $1.01 of $1 (1.03 GPU-hours at $0.98) on 2026-12-01',
    );
    expect(under).toBeUndefined();
  });
});

describe('cost guard: the per-job cycle limit', () => {
  it('refuses a result above maxCyclesPerJob as a prover failure, which retries and then bisects', async () => {
    // Prepare: the fixture's range results report 10 cycles
    const t = await withBlocks(withBudget('range', { maxCyclesPerJob: 9 }), 5);
    await t.blobs.putJson('jobs/range/0-5/a1/output.json', rangeResult(0n, 5n));
    await t.blobs.putJson('jobs/range/0-5/a2/output.json', rangeResult(0n, 5n));
    // Act
    const first = await finishJob(t.deps, rangeDone('0-5', 'SUCCEEDED', 10));
    const failedGroup = (await t.store.get('range/0-5'))!;
    const second = await finishJob(t.deps, rangeDone('0-5', 'SUCCEEDED', 10, 2));
    // Assess
    expect([first, second]).toEqual(['retried', 'split']);
    expect(failedGroup.data).toMatchObject({
      failures: 1,
      error:
        "cycle-limit: job range-0-5-a1 reported 10 cycles, above stage range's executor.budget.maxCyclesPerJob 9",
    });
    expect(t.bus.published).toEqual([]);
  });
});
