import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchJobRunner } from '../adapters/aws/batch-job-runner.js';
import { DynamoDbStateStore } from '../adapters/aws/dynamodb-state-store.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { createS3Client } from '../adapters/aws/s3-client.js';
import { SDK_CLIENT_SETTINGS } from '../adapters/aws/sdk-client-settings.js';
import { HANDLER_ENV, JOB_ENV } from '../core/config/environment-names.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { MessageBus } from '../core/ports/message-bus.js';
import type { ProposerWakeup } from '../core/ports/proposer-wakeup.js';
import { programPlugins } from '../core/programs/program-plugins.js';
import type { BaseRuntime } from './base-runtime.js';
import { readBatchJobTargets, requireEnv } from './handler-environment.js';
import { once } from './memoize.js';

/** The orchestrator's ports, which every handler uses (the collectors and retries submit jobs). */
export interface OrchestratorRuntime {
  /** State store, bus, blob store and job runner over DynamoDB, SQS (or no bus), S3 and Batch. */
  orchestrator(): OrchestratorDeps;
}

/** The parts of the orchestrator's ports that differ between handlers, each built on first use. */
export interface OrchestratorParts {
  /** `sqsMessageBusFromEnv` for the handlers that publish, `noMessageBus` for the proposer. */
  readonly bus: () => MessageBus;
  /** Given by the dispatcher's root only (the one handler that wakes the proposer). */
  readonly proposerWakeup?: () => ProposerWakeup;
}

/**
 * The orchestrator's ports over DynamoDB, S3 and Batch with the root's bus, built on first use, so a
 * handler only needs the variables it really uses. The bus and `proposerWakeup` come from the root,
 * so only the bundles that publish carry the SQS client and only the dispatcher's the Lambda client.
 */
export function orchestratorRuntime(
  env: NodeJS.ProcessEnv,
  base: BaseRuntime,
  parts: OrchestratorParts,
): OrchestratorRuntime {
  const { config, clock, logger, metrics } = base;
  const orchestrator = once((): OrchestratorDeps => {
    const jobEnvironment: Record<string, string> = {};
    // URLs listed in the config are not secrets; URLs in SSM reach jobs as Batch job-definition secrets.
    if (config.chains.l1.rpcUrls !== undefined)
      jobEnvironment[JOB_ENV.l1RpcUrls] = config.chains.l1.rpcUrls.join(',');
    if (config.chains.l2.rpcUrls !== undefined)
      jobEnvironment[JOB_ENV.l2RpcUrls] = config.chains.l2.rpcUrls.join(',');
    return {
      config,
      store: new DynamoDbStateStore({
        client: new DynamoDBClient({ ...SDK_CLIENT_SETTINGS }),
        tableName: requireEnv(env, HANDLER_ENV.stateTableName),
        now: () => clock.now(),
      }),
      bus: parts.bus(),
      blobs: new S3BlobStore({
        client: createS3Client(),
        bucket: requireEnv(env, HANDLER_ENV.artifactBucketName),
      }),
      jobs: new BatchJobRunner({
        client: new BatchClient({ ...SDK_CLIENT_SETTINGS }),
        targets: readBatchJobTargets(env),
        environment: jobEnvironment,
      }),
      clock,
      logger,
      metrics,
      programs: programPlugins({ rollupConfigHash: base.rollupConfigHash() }),
      origin: BigInt(config.chains.l2.startBlock),
      ...(parts.proposerWakeup === undefined ? {} : { proposerWakeup: parts.proposerWakeup() }),
    };
  });
  return { orchestrator };
}
