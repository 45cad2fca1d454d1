import { describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../../lambdas/core/config/stage-schema.js';
import { StageSpend } from '../../../lambdas/core/orchestrator/budget/stage-spend.js';
import { formatStatus } from '../../../ops/commands/status/format-status.js';
import type { PipelineStatus } from '../../../ops/commands/status/read-status.js';
import { describeStageBudget } from '../../../ops/commands/status/stage-budget.js';
import { readStageProgress } from '../../../ops/commands/status/stage-progress.js';
import { devnetConfig, makeDeps } from '../core/orchestrator/orchestrator-fixture.js';

/** The devnet config with a 1 GPU-hour / $2 budget on the range stage. */
function budgetedConfig(): PipelineConfig {
  const base = devnetConfig();
  const budget = { dailyGpuHours: 1, dailyUsd: 2, usdPerGpuHour: 1.5 };
  return {
    ...base,
    stages: base.stages.map((s) =>
      isProvingStage(s) && s.name === 'range' ? { ...s, executor: { ...s.executor, budget } } : s,
    ),
  };
}

/** A status with nothing in it but `stages`. */
function statusWith(stages: PipelineStatus['stages']): PipelineStatus {
  const at = { block: 0n, timestamp: 0n };
  return {
    target: 'test',
    at: '2025-01-01T00:00:00.000Z',
    l2: { latest: at, safe: at, finalized: at },
    heads: [],
    stages,
    proposer: {
      address: '0x0000000000000000000000000000000000000001',
      balanceWei: 0n,
      leases: [],
      openTransactions: [],
      waits: [],
    },
    pauses: [],
    deadLetterQueues: {},
  };
}

describe('ops status: the cost guard', () => {
  it("shows each budgeted stage's spend today and lists its wait with the stored reason", async () => {
    // Prepare: the range stage spent 1.2 GPU-hours today and waits
    const t = makeDeps(budgetedConfig());
    const spend = new StageSpend(t.store, 'range', '2025-01-01');
    await spend.add('range-0-5-a1', 4320);
    const reason = 'budget-exhausted: range spent 1.2 of 1 GPU-hours on 2025-01-01';
    await spend.markWaiting(reason, t.clock.now());
    // Act
    const stages = await readStageProgress(t.deps);
    const text = formatStatus(statusWith(stages));
    // Assess
    const [range, aggregate] = stages;
    expect(range!.budget).toMatchObject({
      itemId: 'budget/range/2025-01-01',
      gpuHours: 1.2,
      waiting: { reason },
    });
    expect(aggregate!.budget).toBeUndefined();
    expect(describeStageBudget(range!.budget)).toBe('1.2 of 1 GPU-h, $1.8 of $2 (2025-01-01): waiting');
    expect(text).toContain('1.2 of 1 GPU-h, $1.8 of $2 (2025-01-01): waiting');
    expect(text).toMatch(
      /budget\/range\/2025-01-01 +budget-waiting +budget-exhausted: range spent 1\.2 of 1 GPU-hours on 2025-01-01 \(since 2025-01-01T00:00:00\.000Z\)/,
    );
  });

  it('keeps the stage table without a budget column when no stage has a budget', async () => {
    // Prepare
    const t = makeDeps();
    // Act
    const text = formatStatus(statusWith(await readStageProgress(t.deps)));
    // Assess
    expect(text).toMatch(/^stage +groups +oldest open group +breaker$/m);
    expect(text).toMatch(/^range +none +- +closed$/m);
  });
});
