import { describe, expect, it } from 'vitest';
import { MemoryJobRunner } from '../../../lambdas/adapters/memory/memory-job-runner.js';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';

const config = loadPipelineConfig(new URL('../../../config/devnet.json', import.meta.url).pathname);

describe('MemoryJobRunner.terminate', () => {
  it('fails an active job with the reason and records it; a finished or unknown job is left alone', async () => {
    // Prepare
    const runner = new MemoryJobRunner();
    const base = { stage: 'range', groupId: 'range/0-5', attempt: 1, inputKey: 'i', outputKey: 'o' };
    await runner.submit({ ...base, name: 'active', executor: provingStageNamed(config, 'range').executor });
    await runner.submit({ ...base, name: 'done', executor: provingStageNamed(config, 'range').executor });
    runner.setState('done', { state: 'succeeded' });

    // Act
    const counts = [
      await runner.terminate({ stage: 'range', name: 'active' }, 'hedge won'),
      await runner.terminate({ stage: 'range', name: 'done' }, 'x'),
      await runner.terminate({ stage: 'range', name: 'never' }, 'x'),
    ];

    // Assess
    expect(counts).toEqual([1, 0, 0]);
    expect(runner.terminated).toEqual([{ name: 'active', reason: 'hedge won' }]);
    expect(await runner.state({ stage: 'range', name: 'active' })).toEqual({
      state: 'failed',
      reason: 'hedge won',
    });
    expect(await runner.state({ stage: 'range', name: 'done' })).toEqual({ state: 'succeeded' });
  });
});
