import { describe, expect, it } from 'vitest';
import { JobInputMissingError, runBatchJob } from '../../../batch-jobs/run-batch-job.js';
import { MemoryBlobStore } from '../../../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';

describe('Batch job attempt whose input object is missing', () => {
  it('fails while staging with a failure document naming the key and JOB_INPUT_KEY', async () => {
    // Prepare
    const blobs = new MemoryBlobStore();
    const logger = new MemoryLogger();
    const job = {
      stage: 'range',
      groupId: 'range/0-3',
      attempt: 1,
      program: 'range' as const,
      inputKey: 'jobs/range/0-3/a1/input.json',
      outputKey: 'jobs/range/0-3/a1/output.json',
      bucket: 'artifacts',
      proverCommand: ['false'],
      timeoutSeconds: 5,
    };
    // Act
    const exitCode = await runBatchJob({ job, blobs, logger, signal: new AbortController().signal, env: {} });
    // Assess: staging never gave the prover a run, so it is an infrastructure failure (exit 75)
    expect(exitCode).toBe(75);
    const failure = (await blobs.getJson('jobs/range/0-3/a1/failure.json')) as Record<string, unknown>;
    expect(failure).toMatchObject({
      kind: 'staging',
      failureClass: 'infrastructure',
      groupId: 'range/0-3',
      attempt: 1,
    });
    expect(failure.message).toBe(
      'job input s3://artifacts/jobs/range/0-3/a1/input.json (JOB_INPUT_KEY) does not exist',
    );
    const logged = logger.at('error').find((e) => e.message === 'job failed');
    expect(logged?.attributes?.error).toBeInstanceOf(JobInputMissingError);
  });
});
