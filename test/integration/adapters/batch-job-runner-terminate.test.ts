import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BatchClient } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchJobStateChangeEvent } from '../../../devnet/stand-ins/batch-job-state-change.js';
import { startBatchStandIn } from '../../../devnet/stand-ins/batch-server.js';
import type { RunningStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { LocalJobRunner } from '../../../devnet/stand-ins/local-job-runner.js';
import { BatchJobRunner } from '../../../lambdas/adapters/aws/batch-job-runner.js';
import { loadPipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import type { JobSpec } from '../../../lambdas/core/ports/job-runner.js';

const config = loadPipelineConfig(fileURLToPath(new URL('../../../config/devnet.json', import.meta.url)));
const executor = provingStageNamed(config, 'range').executor;

function specFor(name: string, afterInfrastructureFailure = false): JobSpec {
  return {
    name,
    stage: 'range',
    groupId: 'range/0-5',
    attempt: 1,
    inputKey: `jobs/${name}/input.json`,
    outputKey: `jobs/${name}/output.json`,
    executor,
    ...(afterInfrastructureFailure ? { afterInfrastructureFailure } : {}),
  };
}

describe('BatchJobRunner.terminate against the Batch stand-in', () => {
  let standIn: RunningStandIn;
  let local: LocalJobRunner;
  let client: BatchClient;
  let runner: BatchJobRunner;
  const events: BatchJobStateChangeEvent[] = [];

  beforeAll(async () => {
    local = new LocalJobRunner({
      // Every job sleeps 30 s: only TerminateJob ends it within the test.
      command: [process.execPath, '-e', 'setTimeout(() => {}, 30000)'],
      cwd: process.cwd(),
      baseEnvironment: {},
      maxParallelJobs: 4,
      jobDefinitions: { range: { timeoutSeconds: 60 } },
      stateDirectory: mkdtempSync(join(tmpdir(), 'batch-terminate-')),
      deliveryBackoff: { firstMs: 1, maxMs: 5 },
      onStateChange: async (event) => {
        events.push(event);
      },
    });
    local.start();
    standIn = await startBatchStandIn({ runner: local });
    client = new BatchClient({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    runner = new BatchJobRunner({
      client,
      targets: {
        range: {
          jobQueue: 'devnet-range',
          jobDefinition: 'range',
          onDemandJobQueue: 'devnet-range-on-demand',
        },
      },
    });
  });

  afterAll(async () => {
    client.destroy();
    await local.stop();
    await standIn.close();
  });

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!condition() && Date.now() < deadline) await sleep(25);
  }

  it('stops the active job of that name in the main and the on-demand queue, reports it failed with the reason, and is a no-op after', async () => {
    // Prepare: one job in the main queue, one (the retry after a reclaim) in the on-demand queue.
    await runner.submit(specFor('range-0-5-a1'));
    await runner.submit(specFor('range-0-5-a2', true));
    await until(() => local.list({ status: 'RUNNING' }).length === 2);

    // Act
    const stoppedMain = await runner.terminate(
      { stage: 'range', name: 'range-0-5-a1' },
      'hedge won: range-0-5-a2',
    );
    const stoppedOnDemand = await runner.terminate(
      { stage: 'range', name: 'range-0-5-a2' },
      'join: first result won',
    );
    await until(() => events.length === 2);
    const again = await runner.terminate({ stage: 'range', name: 'range-0-5-a1' }, 'again');
    const unknownStage = await runner.terminate({ stage: 'aggregate', name: 'range-0-5-a1' }, 'x');
    const never = await runner.terminate({ stage: 'range', name: 'range-9-9-a1' }, 'x');

    // Assess
    expect([stoppedMain, stoppedOnDemand, again, unknownStage, never]).toEqual([1, 1, 0, 0, 0]);
    expect(await runner.state({ stage: 'range', name: 'range-0-5-a1' })).toMatchObject({
      state: 'failed',
      reason: 'hedge won: range-0-5-a2',
    });
    expect(await runner.state({ stage: 'range', name: 'range-0-5-a2' })).toMatchObject({
      state: 'failed',
      reason: 'join: first result won',
    });
    expect(events.map((event) => event.detail.status)).toEqual(['FAILED', 'FAILED']);
  });
});
