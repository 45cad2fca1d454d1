import { dirname, resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { HANDLER_ENV } from '../../lambdas/core/config/environment-names.js';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';
import { rollupConfigHashOf } from '../../lambdas/core/config/rollup-config-hash.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { pipelineQueueUrls } from './queue-urls.js';

/**
 * Where an operator command reaches the pipeline: the handlers' environment contract (the variables
 * `buildRuntime` reads), so the CLI goes through the same composition root, ports and adapters as
 * the Lambda functions. The SDK endpoint variables of a local run are already on `process.env`.
 */
export interface OpsTarget {
  /** `local run in <state dir>` or `AWS stack of <config file>`, for messages. */
  readonly description: string;
  readonly config: PipelineConfig;
  /** The handler environment (`HANDLER_ENV` names): config, table, bucket, queue URLs, Batch targets, hash. */
  readonly handlerEnvironment: Record<string, string>;
  /** Dead-letter queue URL per topic. */
  readonly deadLetterQueueUrls: Record<string, string>;
  /** The proposer's address when the target knows it without asking the signer (the local manifest). */
  readonly proposer?: `0x${string}`;
}

/**
 * The handler environment of `config` with the table and bucket named, the queues looked up by name
 * and the Batch targets named as the CDK app names them (`pipelineResourceNames`), with each
 * stage's on-demand-only job queue where `onDemandStages` says it exists.
 */
export async function handlerEnvironmentOf(options: {
  readonly config: PipelineConfig;
  /** The config file: its rollup config path is relative to it. */
  readonly configPath: string;
  readonly configVariable: { readonly name: string; readonly value: string };
  readonly stateTable: string;
  readonly artifactBucket: string;
  /** Stages whose on-demand-only job queue exists (a deployed stack). @default none */
  readonly onDemandStages?: ReadonlySet<string>;
}): Promise<{ handlerEnvironment: Record<string, string>; deadLetterQueueUrls: Record<string, string> }> {
  const { config } = options;
  const names = pipelineResourceNames(config.name);
  const sqs = new SQSClient({});
  try {
    const urls = await pipelineQueueUrls(sqs, config);
    const batchTargets = Object.fromEntries(
      config.stages.map((stage) => [
        stage.name,
        {
          jobQueue: names.jobQueue(stage.name),
          jobDefinition: names.jobDefinition(stage.name),
          ...(options.onDemandStages?.has(stage.name) === true
            ? { onDemandJobQueue: names.onDemandJobQueue(stage.name) }
            : {}),
        },
      ]),
    );
    return {
      handlerEnvironment: {
        [options.configVariable.name]: options.configVariable.value,
        [HANDLER_ENV.stateTableName]: options.stateTable,
        [HANDLER_ENV.artifactBucketName]: options.artifactBucket,
        [HANDLER_ENV.topicQueueUrls]: JSON.stringify(urls.queues),
        [HANDLER_ENV.batchJobTargets]: JSON.stringify(batchTargets),
        [HANDLER_ENV.rollupConfigHash]: await rollupConfigHashOf(
          resolve(dirname(options.configPath), config.chains.l2.rollupConfigPath),
        ),
      },
      deadLetterQueueUrls: urls.deadLetterQueues,
    };
  } finally {
    sqs.destroy();
  }
}
