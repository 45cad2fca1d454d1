import { delimiter, join } from 'node:path';
import { JOB_ENV } from '../../lambdas/core/config/environment-names.js';
import { pipelineResourceNames, pipelineTopics } from '../../lambdas/core/config/pipeline-resource-names.js';
import { isProvingStage } from '../../lambdas/core/config/stage-schema.js';
import type { BatchJobStateChangeEvent } from '../stand-ins/batch-job-state-change.js';
import { startBatchStandIn } from '../stand-ins/batch-server.js';
import { ensureStateTable, type RunningStandIn } from '../stand-ins/dynamodb-stand-in.js';
import type { JobFailureFault } from '../stand-ins/job-fault-injector.js';
import type { LocalJobDefinition } from '../stand-ins/local-job.js';
import { LocalJobRunner } from '../stand-ins/local-job-runner.js';
import { ServiceCallCounter } from '../stand-ins/service-call-counter.js';
import { SqsQueues } from '../stand-ins/sqs-queues.js';
import { startSqsStandIn } from '../stand-ins/sqs-server.js';
import { type StorageStandInsPlacement, startStorageStandIns } from '../stand-ins/storage-stand-ins.js';
import type { DevnetConfig } from './devnet-config.js';
import { buildJobBundles } from './job-bundles.js';
import { mockProverLauncher } from './job-launchers.js';
import { localAwsEnvironment } from './local-aws-environment.js';

/** Fault hooks the tests inject through the runtime. */
export interface LocalAwsFaults {
  /** SQS stores every sent message twice. */
  readonly deliverEveryMessageTwice?: boolean;
  /** Batch job names (or `prefix*`) whose first runs fail, and how many of them. */
  readonly failJobs?: readonly JobFailureFault[];
}

/**
 * Where the stand-ins keep their state. `directory`: dynalite's LevelDB (`dynamodb/`) and the SQS
 * snapshot and journal (`sqs.json`) in the state folder, so a restart resumes (`npm start`).
 * `memory`: dynalite, s3rver's objects (`S3MemoryStore`) and the SQS queues in memory (where the
 * storage stand-ins run), for a run that throws its state away (the benchmarks): no LevelDB, object
 * or metadata file and no SQS journal line per call. The Batch stand-in still keeps `batch/`.
 */
export type LocalAwsPersistence = 'directory' | 'memory';

export interface LocalAwsOptions {
  readonly config: DevnetConfig;
  /** State folder: dynamodb/, s3/, sqs.json, batch/ (only batch/ with `persistence: 'memory'`). */
  readonly stateDirectory: string;
  /**
   * Whether dynalite's and the SQS stand-in's state is kept in `stateDirectory` (see `LocalAwsPersistence`).
   * @default 'directory'
   */
  readonly persistence?: LocalAwsPersistence;
  readonly repoRoot: string;
  /** Environment every Batch job gets beyond the AWS endpoints (RPC URLs). */
  readonly jobEnvironment: Record<string, string>;
  readonly onJobStateChange: (event: BatchJobStateChangeEvent) => Promise<void>;
  readonly faults?: LocalAwsFaults;
  readonly onLog?: (line: string) => void;
  /**
   * Where dynalite and s3rver run (see `StorageStandInsPlacement`); the SQS and Batch stand-ins stay
   * in this process (the event sources read the queues directly, the job runner calls back).
   * @default 'in-process'
   */
  readonly storageStandIns?: StorageStandInsPlacement;
}

export interface LocalAws {
  /** The handlers' environment contract plus the SDK endpoint variables. */
  readonly environment: Record<string, string>;
  readonly queues: SqsQueues;
  /** Queue name per topic. */
  readonly queueNames: Record<string, string>;
  readonly jobRunner: LocalJobRunner;
  readonly counter: ServiceCallCounter;
  readonly endpoints: { dynamodb: string; s3: string; sqs: string; batch: string };
  /** CPU seconds dynalite's and s3rver's own process used so far; `undefined` when they run in this one. */
  storageCpuSeconds(): Promise<number | undefined>;
  /** Starts the job runner (after the job-state handler is ready). */
  startJobs(): void;
  close(): Promise<void>;
}

/**
 * Starts the local AWS of one pipeline: dynalite (state table) and s3rver (artifact bucket), in a
 * child process when `storageStandIns` says so, in memory when `persistence` says so, the SQS
 * stand-in (a queue + DLQ per topic with the config's visibility timeout and maxReceiveCount) and the
 * Batch stand-in with its local job runner; returns the environment the handlers read.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const { config, stateDirectory } = options;
  const names = pipelineResourceNames(config.name);
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const counter = new ServiceCallCounter();
  const persisted = (options.persistence ?? 'directory') === 'directory';
  const started: RunningStandIn[] = [];
  try {
    const storage = await startStorageStandIns({
      placement: options.storageStandIns ?? 'in-process',
      cwd: options.repoRoot,
      ...(persisted ? { dynamodbDirectory: join(stateDirectory, 'dynamodb') } : {}),
      ...(persisted ? { s3Directory: join(stateDirectory, 's3') } : {}),
      bucket: names.artifactBucket,
      counter,
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
    started.push({ endpoint: storage.endpoints.dynamodb, close: () => storage.close() });
    const { dynamodb: dynamodbEndpoint, s3: s3Endpoint } = storage.endpoints;
    const queues = new SqsQueues({
      ...(persisted ? { snapshotPath: join(stateDirectory, 'sqs.json') } : {}),
      faults: { deliverEveryMessageTwice: options.faults?.deliverEveryMessageTwice === true },
    });
    const sqs = await startSqsStandIn({ queues, region, counter });
    started.push(sqs);

    const jobDefinitions: Record<string, LocalJobDefinition> = {};
    const batchTargets: Record<string, { jobQueue: string; jobDefinition: string }> = {};
    // Jobs run prebuilt bundles: transpiling through tsx on every job and prover start cost seconds each.
    const bundles = await buildJobBundles(options.repoRoot);
    // A join stage runs no jobs: it has no job definition or queue.
    for (const stage of config.stages.filter(isProvingStage)) {
      jobDefinitions[names.jobDefinition(stage.name)] = {
        timeoutSeconds: stage.executor.timeoutSeconds + 60,
        // The program's mock prover (a launcher on the jobs' PATH) unless the job's overrides name
        // the stage's command: BatchJobRunner sets it for every backend but mock, as on AWS.
        environment: {
          [JOB_ENV.proverCommand]: JSON.stringify([mockProverLauncher(stage.executor.program)]),
        },
      };
      batchTargets[stage.name] = {
        jobQueue: names.jobQueue(stage.name),
        jobDefinition: names.jobDefinition(stage.name),
      };
    }
    const awsEndpointEnvironment: Record<string, string> = {
      ...localAwsEnvironment(),
      AWS_REGION: region,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    };
    const jobRunner = new LocalJobRunner({
      command: [process.execPath, bundles.entrypoint],
      cwd: options.repoRoot,
      baseEnvironment: {
        // The launchers first, as the job image has /opt/prover: a stage's command names one.
        PATH: [bundles.bin, process.env.PATH].filter((part) => part !== undefined).join(delimiter),
        ...awsEndpointEnvironment,
        ARTIFACT_BUCKET_NAME: names.artifactBucket,
        ...options.jobEnvironment,
      },
      maxParallelJobs: config.local.maxParallelJobs,
      jobDefinitions,
      stateDirectory: join(stateDirectory, 'batch'),
      region,
      faults: { failJobs: options.faults?.failJobs ?? [] },
      onStateChange: options.onJobStateChange,
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
    const batch = await startBatchStandIn({ runner: jobRunner, counter });
    started.push(batch);

    await ensureStateTable(dynamodbEndpoint, names.stateTable);
    const queueNames: Record<string, string> = {};
    const queueUrls: Record<string, string> = {};
    for (const topic of pipelineTopics(config)) {
      const dlq = names.deadLetterQueue(topic);
      queues.createQueue(dlq, { MessageRetentionPeriod: '1209600' });
      queues.createQueue(names.queue(topic), {
        VisibilityTimeout: String(config.local.sqsVisibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: SqsQueues.arnOf(dlq, region),
          maxReceiveCount: config.local.sqsMaxReceiveCount,
        }),
      });
      queueNames[topic] = names.queue(topic);
      queueUrls[topic] = sqs.queueUrl(names.queue(topic));
    }

    const environment: Record<string, string> = {
      ...awsEndpointEnvironment,
      AWS_ENDPOINT_URL_BATCH: batch.endpoint,
      STATE_TABLE_NAME: names.stateTable,
      ARTIFACT_BUCKET_NAME: names.artifactBucket,
      TOPIC_QUEUE_URLS: JSON.stringify(queueUrls),
      BATCH_JOB_TARGETS: JSON.stringify(batchTargets),
    };
    return {
      environment,
      queues,
      queueNames,
      jobRunner,
      counter,
      endpoints: { dynamodb: dynamodbEndpoint, s3: s3Endpoint, sqs: sqs.endpoint, batch: batch.endpoint },
      storageCpuSeconds: () => storage.cpuSeconds(),
      startJobs: () => jobRunner.start(),
      close: async () => {
        await jobRunner.stop();
        for (const standIn of started.reverse()) await standIn.close();
      },
    };
  } catch (error) {
    for (const standIn of started.reverse()) await standIn.close();
    throw error;
  }
}
