import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import type { RawConfig } from '../../support/config-json.js';
import { devnetJson, issuesOf } from './cross-check-cases.js';

/** The devnet config with `budget` on the range stage's executor. */
function withRangeBudget(budget: unknown): RawConfig {
  const raw = devnetJson();
  raw.stages[0].executor.budget = budget;
  return raw;
}

describe('executor.budget (the cost guard)', () => {
  it('parses a daily GPU-hour and dollar budget with its price and a cycle limit', () => {
    // Prepare
    const budget = { dailyGpuHours: 24, dailyUsd: 30, usdPerGpuHour: 0.98, maxCyclesPerJob: 2_000_000_000 };
    // Act
    const config = parsePipelineConfig(withRangeBudget(budget), 'test');
    // Assess
    expect(provingStageNamed(config, config.stages[0]!.name).executor.budget).toEqual(budget);
    expect(provingStageNamed(config, config.stages[1]!.name).executor.budget).toBeUndefined();
  });

  it.each([
    {
      what: 'a dollar budget without the price it is estimated with',
      budget: { dailyUsd: 30 },
      issue:
        'stages[0].executor.budget.usdPerGpuHour: required with dailyUsd (30): the price of one GPU-hour the dollar estimate uses (got nothing)',
    },
    {
      what: 'a budget of zero GPU-hours',
      budget: { dailyGpuHours: 0 },
      issue: 'stages[0].executor.budget.dailyGpuHours: a number > 0 (got 0)',
    },
    {
      what: 'a fractional cycle limit',
      budget: { maxCyclesPerJob: 1.5 },
      issue: 'stages[0].executor.budget.maxCyclesPerJob: an integer (got 1.5)',
    },
    {
      what: 'a budget that limits nothing',
      budget: { usdPerGpuHour: 1 },
      issue:
        'stages[0].executor.budget: at least one of dailyGpuHours, dailyUsd or maxCyclesPerJob (got {"usdPerGpuHour":1})',
    },
    {
      what: 'a misspelt field',
      budget: { dailyGpuHour: 24 },
      issue: expect.stringMatching(/^stages\[0\]\.executor\.budget: Unrecognized key: "dailyGpuHour"/),
    },
  ])('refuses $what, naming the field', ({ budget, issue }) => {
    // Prepare
    const raw = withRangeBudget(budget);
    // Act
    const issues = issuesOf(raw);
    // Assess
    expect(issues).toContainEqual(issue);
  });
});
