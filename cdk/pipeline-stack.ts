import { dirname, resolve } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { HANDLER_ENV } from '../lambdas/core/config/environment-names.js';
import { pipelineTopics } from '../lambdas/core/config/pipeline-resource-names.js';
import { isJoinStage, isProvingStage } from '../lambdas/core/config/stage-schema.js';
import { METRIC_NAMESPACE } from '../lambdas/core/ports/telemetry.js';
import { JobQueueBlockedAlert } from './constructs/job-queue-blocked-alert.js';
import { MessageBus } from './constructs/message-bus.js';
import { PipelineMonitoring } from './constructs/monitoring.js';
import { Orchestrator } from './constructs/orchestrator.js';
import { PipelineState } from './constructs/pipeline-state.js';
import { Proposer } from './constructs/proposer.js';
import { ProposerSigningKey } from './constructs/proposer-signing-key.js';
import { ProvingCluster } from './constructs/proving-cluster.js';
import { RpcEndpoints } from './constructs/rpc-endpoints.js';
import { Watcher } from './constructs/watcher.js';
import type { DeploymentConfig } from './deploy/deployment-config.js';
import { type EnvironmentValue, jsonValue, literalValue } from './deploy/lambda-environment.js';

export interface PipelineStackProps extends StackProps {
  readonly deployment: DeploymentConfig;
  /** Repository root (handler entries, lock file, job image build context). */
  readonly projectRoot: string;
  /**
   * Timeout of the dispatcher; the topic queues' visibility timeout is six times it.
   * @default Duration.seconds(60)
   */
  readonly dispatcherTimeout?: Duration;
  /**
   * Image holding the prover binary under `/prover/`, copied into the job image (`PROVER_IMAGE` build argument).
   * @default - none: the job image carries only the repo's mock provers
   */
  readonly proverImage?: string;
}

/** Handler entry files, relative to the repository root (each exports `handler`). */
export const HANDLER_ENTRIES = {
  watcher: 'lambdas/handlers/watcher.ts',
  dispatcher: 'lambdas/handlers/dispatcher.ts',
  jobState: 'lambdas/handlers/job-state.ts',
  proposer: 'lambdas/handlers/proposer.ts',
} as const;

/** The longest DynamoDB table name CloudFormation generates here (stack name, logical id, suffix). */
const TABLE_NAME_MAX_BYTES = 128;
/** S3 bucket names hold at most 63 characters. */
const BUCKET_NAME_MAX_BYTES = 63;
/** A KMS key id is a UUID. */
const KMS_KEY_ID_BYTES = 36;

/**
 * The whole pipeline from one validated config: state (table, bucket), the message bus (a queue
 * per topic), the GPU proving cluster, the watcher, the orchestrator (dispatcher, job state), the
 * proposer with its KMS key, and monitoring.
 */
export class PipelineStack extends Stack {
  readonly state: PipelineState;
  readonly bus: MessageBus;
  readonly cluster: ProvingCluster;
  readonly signingKey: ProposerSigningKey;
  readonly watcher: Watcher;
  readonly orchestrator: Orchestrator;
  readonly proposer: Proposer;
  readonly monitoring: PipelineMonitoring;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config, aws } = props.deployment;
    const alarmSettings = props.deployment.monitoring;
    const dispatcherTimeout = props.dispatcherTimeout ?? Duration.seconds(60);
    const topics = pipelineTopics(config);
    const provingStages = config.stages.filter(isProvingStage);
    // Join stages run no jobs: no queue, compute environment or job definition.
    const batchStages = provingStages.map((stage) => stage.name);

    this.state = new PipelineState(this, 'State', {
      artifactRetentionDays: config.storage.artifactRetentionDays,
    });
    // CloudFormation names the table and the bucket; the operator CLI takes them as --table / --bucket.
    new CfnOutput(this, 'StateTableName', {
      value: this.state.table.tableName,
      description: 'The state table (npm run ops -- --config <file> --table <this>)',
    });
    new CfnOutput(this, 'ArtifactBucketName', {
      value: this.state.artifactBucket.bucketName,
      description: 'The artifact bucket (npm run ops -- --config <file> --bucket <this>)',
    });
    this.bus = new MessageBus(this, 'MessageBus', {
      pipelineName: config.name,
      topics,
      consumerTimeout: dispatcherTimeout,
      maxReceiveCount: aws.sqsMaxReceiveCount,
    });
    const proverEndpoints = props.deployment.proverEndpointParameters;
    const rpcEndpoints = new RpcEndpoints(this, 'RpcEndpoints', {
      l1ParameterName: props.deployment.rpcUrlsParameters.l1,
      l2ParameterName: props.deployment.rpcUrlsParameters.l2,
      ...(proverEndpoints === undefined
        ? {}
        : {
            proverParameterNames: {
              l1Beacon: proverEndpoints.l1BeaconRpcParameter,
              l2Node: proverEndpoints.l2NodeRpcParameter,
            },
          }),
    });
    const signer = config.proposer.signer;
    this.signingKey = new ProposerSigningKey(this, 'ProposerSigningKey', {
      pipelineName: config.name,
      ...(signer.kind === 'kms' && signer.keyArn !== undefined ? { importKeyArn: signer.keyArn } : {}),
    });
    this.cluster = new ProvingCluster(this, 'ProvingCluster', {
      pipelineName: config.name,
      stages: props.deployment.stages,
      artifactBucket: this.state.artifactBucket,
      rpcEndpoints,
      projectRoot: props.projectRoot,
      rollupConfigFile: resolve(dirname(props.deployment.path), config.chains.l2.rollupConfigPath),
      maxVcpus: aws.maxVcpus,
      minVcpus: aws.minVcpus,
      runnableTimeLimitSeconds: aws.runnableTimeLimitSeconds,
      spot: aws.spot,
      onDemandFallback: aws.onDemandFallback,
      logRetentionDays: config.storage.logRetentionDays,
      ...(aws.vpcId === undefined ? {} : { vpcId: aws.vpcId }),
      ...(props.proverImage === undefined ? {} : { proverImage: props.proverImage }),
    });

    const environment = this.functionEnvironment(props.deployment);
    const functionProps = (entry: string) => ({
      entry: resolve(props.projectRoot, entry),
      projectRoot: props.projectRoot,
      environment,
      logRetentionDays: config.storage.logRetentionDays,
      architecture:
        aws.lambdaArchitecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
    });

    this.watcher = new Watcher(this, 'Watcher', {
      function: functionProps(HANDLER_ENTRIES.watcher),
      everyMinutes: props.deployment.watcherMinutes,
      state: this.state,
      outputQueue: this.bus.topic(config.watcher.outputTopic).queue,
      resultQueues: [...new Set(config.stages.map((stage) => stage.outputTopic))].map(
        (topic) => this.bus.topic(topic).queue,
      ),
      rpcEndpoints,
      cluster: this.cluster,
      batchStages,
    });
    this.orchestrator = new Orchestrator(this, 'Orchestrator', {
      dispatcher: functionProps(HANDLER_ENTRIES.dispatcher),
      jobState: functionProps(HANDLER_ENTRIES.jobState),
      dispatcherTimeout,
      state: this.state,
      bus: this.bus,
      cluster: this.cluster,
      // Every topic: stage inputs, and topics only the proposer reads (their messages must be recorded).
      consumedTopics: topics,
      publishedTopics: config.stages.map((stage) => stage.outputTopic),
      batchStages,
      maxConcurrency: aws.dispatcherMaxConcurrency,
    });
    this.proposer = new Proposer(this, 'Proposer', {
      function: {
        ...functionProps(HANDLER_ENTRIES.proposer),
        environment: {
          ...environment,
          [HANDLER_ENV.proposerKmsKeyId]: this.signingKey.created
            ? { value: this.signingKey.keyId, maxBytes: KMS_KEY_ID_BYTES }
            : literalValue(this.signingKey.keyId),
        },
      },
      everyMinutes: props.deployment.proposerMinutes,
      leaseSeconds: config.proposer.leaseSeconds,
      state: this.state,
      signingKey: this.signingKey,
      rpcEndpoints,
      cluster: this.cluster,
      checkpointedStages: provingStages
        .filter((stage) => stage.executor.l1Checkpoint)
        .map((stage) => stage.name),
    });
    // Groups awaiting a checkpoint and recorded proofs wake the proposer (the schedule is the sweep).
    this.proposer.allowWakeUpsFrom(this.orchestrator.dispatcher);

    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      pipelineName: config.name,
      stages: provingStages.map((stage) => ({ name: stage.name, program: stage.executor.program })),
      joinStages: config.stages.filter(isJoinStage).map((stage) => stage.name),
      queues: topics.map((topic) => ({ topic, ...this.bus.topic(topic) })),
      otherDeadLetterQueues: { 'job-state-events': this.orchestrator.jobStateDeadLetterQueue },
      functions: {
        watcher: this.watcher.function.function,
        dispatcher: this.orchestrator.dispatcher.function,
        'job-state': this.orchestrator.jobState.function,
        proposer: this.proposer.function.function,
      },
      lagAlarmBlocks: alarmSettings.lagAlarmBlocks,
      proposerMinBalanceEth: alarmSettings.proposerMinBalanceEth,
      jobFailureRatePercent: alarmSettings.jobFailureRatePercent,
      noProposalIntervals: alarmSettings.noProposalIntervals,
      proposerScheduleSeconds: config.proposer.schedule.everySeconds,
      submissionInterval: config.proposer.submissionInterval,
      watcherScheduleMinutes: props.deployment.watcherMinutes,
      proposerKey: this.signingKey.key,
      ...(alarmSettings.alarmEmail === undefined ? {} : { alarmEmail: alarmSettings.alarmEmail }),
    });
    new JobQueueBlockedAlert(this.cluster, 'JobQueueBlocked', {
      pipelineName: config.name,
      cluster: this.cluster,
      topic: this.monitoring.alarmTopic,
    });
  }

  /** The variables every function gets (the proposer adds its key id). */
  private functionEnvironment(deployment: DeploymentConfig): Record<string, EnvironmentValue> {
    const { config } = deployment;
    const queueUrls: Record<string, string> = {};
    const longestQueueUrls: Record<string, string> = {};
    for (const [topic, { queue, queueName }] of this.bus.topics) {
      queueUrls[topic] = queue.queueUrl;
      longestQueueUrls[topic] = `https://sqs.${this.region}.amazonaws.com.cn/${this.account}/${queueName}`;
    }
    const jobTargets = Object.fromEntries(
      [...this.cluster.targets].map(([stage, target]) => [
        stage,
        {
          jobQueue: target.jobQueueName,
          jobDefinition: target.jobDefinitionName,
          ...(target.onDemandJobQueueName === undefined
            ? {}
            : { onDemandJobQueue: target.onDemandJobQueueName }),
        },
      ]),
    );
    return {
      [HANDLER_ENV.configJson]: literalValue(deployment.runtimeConfigJson),
      [HANDLER_ENV.stateTableName]: { value: this.state.table.tableName, maxBytes: TABLE_NAME_MAX_BYTES },
      [HANDLER_ENV.artifactBucketName]: {
        value: this.state.artifactBucket.bucketName,
        maxBytes: BUCKET_NAME_MAX_BYTES,
      },
      [HANDLER_ENV.topicQueueUrls]: jsonValue(queueUrls, longestQueueUrls),
      [HANDLER_ENV.batchJobTargets]: literalValue(JSON.stringify(jobTargets)),
      [HANDLER_ENV.rollupConfigHash]: literalValue(deployment.rollupConfigHash),
      POWERTOOLS_SERVICE_NAME: literalValue(config.name),
      POWERTOOLS_METRICS_NAMESPACE: literalValue(METRIC_NAMESPACE),
      NODE_OPTIONS: literalValue('--enable-source-maps'),
    };
  }
}
