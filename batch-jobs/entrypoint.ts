import { S3BlobStore } from '../lambdas/adapters/aws/s3-blob-store.js';
import { createS3Client } from '../lambdas/adapters/aws/s3-client.js';
import { redactingLogger } from '../lambdas/chain/redacting-logger.js';
import { readJobDescription } from './job-description.js';
import { JsonLineLogger } from './json-line-logger.js';
import { JOB_EXIT, runBatchJob } from './run-batch-job.js';

/**
 * AWS Batch job entrypoint (the GPU image's command): reads the job description from the
 * environment, runs one attempt and exits 0 on success, 1 on a prover failure, 2 on an invalid job
 * environment, 143 when stopped by SIGTERM (Spot reclaim) so Batch's retry strategy can run it again.
 *
 * Run: `node --import tsx batch-jobs/entrypoint.ts`
 */
async function main(): Promise<number> {
  // RPC URLs (proxyd endpoints can carry API keys) are redacted from every log line, once, here.
  const baseLogger = new JsonLineLogger({ service: 'batch-job' });
  const logger = redactingLogger(baseLogger);
  const abort = new AbortController();
  process.once('SIGTERM', () => {
    logger.warn('SIGTERM received: stopping the prover');
    abort.abort();
  });
  let job: ReturnType<typeof readJobDescription>;
  try {
    job = readJobDescription(process.env);
  } catch (error) {
    logger.error('invalid job environment', { error });
    return JOB_EXIT.invalidJob;
  }
  const jobLogger = redactingLogger(
    baseLogger.with({ stage: job.stage, groupId: job.groupId, attempt: job.attempt }),
  );
  const client = createS3Client();
  try {
    return await runBatchJob({
      job,
      blobs: new S3BlobStore({ client, bucket: job.bucket }),
      logger: jobLogger,
      signal: abort.signal,
      env: process.env,
    });
  } finally {
    client.destroy();
  }
}

// No top-level await: the local run bundles this file as CommonJS to start it from a V8 code cache.
void main().then((code) => {
  process.exitCode = code;
});
