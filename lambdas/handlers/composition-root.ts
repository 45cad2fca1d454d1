import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { LocalAccount, PublicClient } from 'viem';
import { BatchJobRunner } from '../adapters/aws/batch-job-runner.js';
import { DynamoDbStateStore } from '../adapters/aws/dynamodb-state-store.js';
import { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.js';
import { PowertoolsMetricsAdapter } from '../adapters/aws/powertools-metrics.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { createS3Client } from '../adapters/aws/s3-client.js';
import { SqsMessageBus } from '../adapters/aws/sqs-message-bus.js';
import { createKmsAccount } from '../chain/kms-account.js';
import { createLocalAccount } from '../chain/local-account.js';
import { redactingLogger } from '../chain/redacting-logger.js';
import { createChainPublicClient } from '../chain/rpc-transport.js';
import { HANDLER_ENV, JOB_ENV } from '../core/config/environment-names.js';
import type { PipelineConfig } from '../core/config/schema.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import { type Clock, systemClock } from '../core/ports/clock.js';
import type { Logger, Metrics } from '../core/ports/telemetry.js';
import { programPlugins } from '../core/programs/program-plugins.js';
import {
  readBatchJobTargets,
  readRollupConfigHash,
  readTopicQueueUrls,
  requireEnv,
} from './handler-environment.js';
import { powertoolsLogger, powertoolsMetrics } from './lambda-telemetry.js';
import { pipelineConfigFromEnv } from './pipeline-config-from-env.js';
import { proposerWakeupFromEnv } from './proposer-wakeup-from-env.js';
import { resolveRpcUrls } from './resolve-rpc-urls.js';

/** Replacements for tests and the local runtime; everything else is built from the environment. */
export interface RuntimeOverrides {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
}

/**
 * The dependencies of every handler, built once per cold start. The config is parsed at once (a
 * broken config fails the first invocation with the field named); everything else is built on
 * first use, so a handler only needs the variables it really uses.
 */
export interface Runtime {
  readonly config: PipelineConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** State store, bus, blob store and job runner over DynamoDB, SQS, S3 and Batch. */
  orchestrator(): OrchestratorDeps;
  /** Names of this pipeline's Batch job queues (`BATCH_JOB_TARGETS`): events of other queues are not ours. */
  jobQueueNames(): ReadonlySet<string>;
  /** RPC URLs of a chain (from the config, or its SSM SecureString parameter). */
  rpcUrls(chain: 'l1' | 'l2'): Promise<string[]>;
  publicClient(chain: 'l1' | 'l2'): Promise<PublicClient>;
  /** The proposer's signer: the KMS key (`PROPOSER_KMS_KEY_ID`) or the anvil dev account. */
  proposerAccount(): Promise<LocalAccount>;
  /** The rollup config hash the programs prove with (`ROLLUP_CONFIG_HASH`). */
  rollupConfigHash(): string;
}

/**
 * Builds the runtime from environment variables (names in `handler-environment.ts`).
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildRuntime(env: NodeJS.ProcessEnv, overrides: RuntimeOverrides = {}): Runtime {
  const config = pipelineConfigFromEnv(env);
  // Every handler log passes the RPC-URL redaction (URLs from SSM may carry API keys).
  const logger = redactingLogger(overrides.logger ?? new PowertoolsLoggerAdapter(powertoolsLogger));
  const metrics = overrides.metrics ?? new PowertoolsMetricsAdapter(powertoolsMetrics);
  const clock = overrides.clock ?? systemClock;
  const ssm = once(() => new SSMClient({}));
  const rpcUrls = memoizeByKey((chain: 'l1' | 'l2') => resolveRpcUrls(config, chain, ssm));

  const rollupConfigHash = once(() => readRollupConfigHash(env));

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
        client: new DynamoDBClient({}),
        tableName: requireEnv(env, HANDLER_ENV.stateTableName),
        now: () => clock.now(),
      }),
      bus: new SqsMessageBus({ client: new SQSClient({}), queueUrls: readTopicQueueUrls(env) }),
      blobs: new S3BlobStore({
        client: createS3Client(),
        bucket: requireEnv(env, HANDLER_ENV.artifactBucketName),
      }),
      jobs: new BatchJobRunner({
        client: new BatchClient({}),
        targets: readBatchJobTargets(env),
        environment: jobEnvironment,
      }),
      clock,
      logger,
      metrics,
      programs: programPlugins({ rollupConfigHash: rollupConfigHash() }),
      origin: BigInt(config.chains.l2.startBlock),
      proposerWakeup: proposerWakeupFromEnv(env),
    };
  });

  const jobQueueNames = once(
    (): ReadonlySet<string> =>
      // A stage's on-demand-only queue runs our retries after infrastructure failures: its events are ours too.
      new Set(
        Object.values(readBatchJobTargets(env)).flatMap((target) =>
          target.onDemandJobQueue === undefined
            ? [target.jobQueue]
            : [target.jobQueue, target.onDemandJobQueue],
        ),
      ),
  );

  const publicClient = memoizeByKey(async (chain: 'l1' | 'l2') =>
    createChainPublicClient({
      chainId: config.chains[chain].chainId,
      name: `${config.name}-${chain}`,
      rpcUrls: await rpcUrls(chain),
      rpcTimeoutMs: config.chains[chain].rpcTimeoutMs,
      maxHeadLagBlocks: config.chains[chain].maxHeadLagBlocks,
      headCheckIntervalMs: config.chains[chain].headCheckIntervalSeconds * 1000,
    }),
  );

  const signer = memoizeByKey(async (_key: 'proposer'): Promise<LocalAccount> => {
    const { signer } = config.proposer;
    if (signer.kind === 'anvil-dev') return createLocalAccount(signer.accountIndex);
    return createKmsAccount({ kms: new KMSClient({}), keyId: requireEnv(env, HANDLER_ENV.proposerKmsKeyId) });
  });
  const proposerAccount = () => signer('proposer');

  return {
    config,
    logger,
    metrics,
    clock,
    orchestrator,
    jobQueueNames,
    rpcUrls,
    publicClient,
    proposerAccount,
    rollupConfigHash,
  };
}

/** The runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartRuntime: () => Runtime = once(() => buildRuntime(process.env));

function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/** Memoizes per key; a rejected promise is forgotten so the next invocation tries again. */
function memoizeByKey<K, T>(build: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const cache = new Map<K, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
      value.catch(() => cache.delete(key));
    }
    return value;
  };
}
