import { Duration, Size, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BATCH_RETRY_RULES,
  BATCH_RUNNABLE_CANCEL_REASONS,
  batchAttemptTimeoutSeconds,
} from '../../lambdas/core/config/batch-job-settings.js';
import { JOB_ENV, ROLLUP_CONFIG_PATH_ENV } from '../../lambdas/core/config/environment-names.js';
import { updateTimeoutMinutes } from '../deploy/compute-environment-settings.js';
import type { DeployedStage } from '../deploy/deployment-config.js';
import { DEFAULT_SP1_INSTANCE_TYPES } from '../deploy/gpu-instances.js';
import { logicalIdOf } from '../nag/logical-id.js';
import type { JobImages } from './job-image.js';
import type { RpcEndpoints } from './rpc-endpoints.js';

/** What the stages of one cluster share: network, instance setup, execution role, logs and images. */
export interface ProvingStageInfrastructure {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly instanceRole: iam.IRole;
  readonly launchTemplate: ec2.ILaunchTemplate;
  readonly executionRole: iam.IRole;
  readonly jobLogGroup: logs.ILogGroup;
  readonly images: JobImages;
  readonly artifactBucket: s3.IBucket;
  readonly rpcEndpoints: RpcEndpoints;
  /** Of each compute environment: its share of `aws.maxVcpus` (the total across all of them). */
  readonly maxVcpus: number;
  readonly minVcpus: number;
  /**
   * Seconds a job may sit `RUNNABLE` at the head of a job queue for want of capacity or for a
   * misconfiguration before the queue cancels it (600…86400, the range Batch accepts).
   */
  readonly runnableTimeLimitSeconds: number;
  /** Run a Spot environment. */
  readonly spot: boolean;
  /** Run an on-demand environment (after the Spot one, when both). */
  readonly onDemand: boolean;
}

export interface ProvingStageProps {
  readonly stage: DeployedStage;
  readonly jobQueueName: string;
  /**
   * Name of the on-demand-only job queue, built when the stage has Spot and on-demand environments:
   * a job cancelled for want of capacity is retried there (`BATCH_JOB_TARGETS`).
   */
  readonly onDemandJobQueueName: string;
  readonly jobDefinitionName: string;
  readonly infrastructure: ProvingStageInfrastructure;
}

/**
 * One Batch stage: a Spot compute environment and/or an on-demand one (NVIDIA ECS AMI for GPU
 * stages, the stage's instance types, scale to zero, updates that let running attempts finish), a
 * job queue trying them in that order, an on-demand-only queue for retries of jobs the first one
 * cancelled (both cancel a job `RUNNABLE` past the limit for want of capacity or for a
 * misconfiguration), a job role limited to `jobs/<stage>/` of the bucket, and a job definition with
 * the stage's GPU/vCPU/memory, timeout and a retry strategy for attempts that never got a fair run.
 */
export class ProvingStage extends Construct {
  readonly jobQueue: batch.JobQueue;
  /** Only the on-demand environment: where infrastructure retries go. Absent without Spot or on-demand. */
  readonly onDemandJobQueue: batch.JobQueue | undefined;
  /** The name retries after an infrastructure failure submit to (`BATCH_JOB_TARGETS`), when there is one. */
  readonly onDemandJobQueueName: string | undefined;
  readonly jobDefinition: batch.EcsJobDefinition;
  /** The name the functions submit to (`BATCH_JOB_TARGETS`). */
  readonly jobQueueName: string;
  /** The name the functions submit with (`BATCH_JOB_TARGETS`). */
  readonly jobDefinitionName: string;
  /** Compute environments in the job queue's order: Spot first, then on-demand. */
  readonly computeEnvironments: readonly batch.ManagedEc2EcsComputeEnvironment[];
  readonly jobRole: iam.Role;

  /** ARNs of the stage's job queues: the main one, then the on-demand-only one when there is one. */
  get jobQueueArns(): string[] {
    return [
      this.jobQueue.jobQueueArn,
      ...(this.onDemandJobQueue === undefined ? [] : [this.onDemandJobQueue.jobQueueArn]),
    ];
  }

  constructor(scope: Construct, id: string, props: ProvingStageProps) {
    super(scope, id);
    const { stage, infrastructure } = props;
    this.jobQueueName = props.jobQueueName;
    this.jobDefinitionName = props.jobDefinitionName;
    this.computeEnvironments = this.createComputeEnvironments(stage, infrastructure);
    const jobStateTimeLimitActions = runnableTimeLimitActions(infrastructure.runnableTimeLimitSeconds);
    this.jobQueue = new batch.JobQueue(this, 'JobQueue', {
      jobQueueName: this.jobQueueName,
      priority: 1,
      computeEnvironments: this.computeEnvironments.map((computeEnvironment, i) => ({
        computeEnvironment,
        order: i + 1,
      })),
      jobStateTimeLimitActions,
    });
    const onDemandEnvironment = this.computeEnvironments[1];
    if (onDemandEnvironment === undefined) {
      this.onDemandJobQueue = undefined;
      this.onDemandJobQueueName = undefined;
    } else {
      this.onDemandJobQueueName = props.onDemandJobQueueName;
      this.onDemandJobQueue = new batch.JobQueue(this, 'OnDemandJobQueue', {
        jobQueueName: this.onDemandJobQueueName,
        priority: 1,
        computeEnvironments: [{ computeEnvironment: onDemandEnvironment, order: 1 }],
        jobStateTimeLimitActions,
      });
    }
    this.jobRole = this.createJobRole(stage.name, infrastructure.artifactBucket);
    this.jobDefinition = this.createJobDefinition(stage, infrastructure);
    infrastructure.images.checkProverImage(this.jobDefinition, stage);
  }

  private createComputeEnvironments(
    stage: DeployedStage,
    infrastructure: ProvingStageInfrastructure,
  ): batch.ManagedEc2EcsComputeEnvironment[] {
    const { spot, onDemand, minVcpus } = infrastructure;
    const environmentProps = {
      vpc: infrastructure.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [infrastructure.securityGroup],
      instanceRole: infrastructure.instanceRole,
      launchTemplate: infrastructure.launchTemplate,
      maxvCpus: infrastructure.maxVcpus,
      replaceComputeEnvironment: false,
      updateToLatestImageVersion: true,
      // An infrastructure update (new AMI, instance types) waits for running proofs instead of killing them.
      terminateOnUpdate: false,
      updateTimeout: Duration.minutes(updateTimeoutMinutes(stage.executor.timeoutSeconds)),
      images: [
        {
          imageType:
            stage.executor.resources.gpus > 0
              ? batch.EcsMachineImageType.ECS_AL2023_NVIDIA
              : batch.EcsMachineImageType.ECS_AL2023,
        },
      ],
      ...instanceChoice(stage),
    };
    const environments: batch.ManagedEc2EcsComputeEnvironment[] = [];
    if (spot) {
      environments.push(
        new batch.ManagedEc2EcsComputeEnvironment(this, 'SpotEnvironment', {
          ...environmentProps,
          spot: true,
          allocationStrategy: batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
          minvCpus: minVcpus,
        }),
      );
    }
    if (onDemand) {
      environments.push(
        new batch.ManagedEc2EcsComputeEnvironment(this, 'OnDemandEnvironment', {
          ...environmentProps,
          spot: false,
          allocationStrategy: batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
          minvCpus: spot ? 0 : minVcpus,
        }),
      );
    }
    return environments;
  }

  private createJobRole(stageName: string, artifactBucket: s3.IBucket): iam.Role {
    const jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Stage ${stageName} jobs: read and write jobs/${stageName}/ of the artifact bucket`,
    });
    const prefix = `jobs/${stageName}/*`;
    jobRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [artifactBucket.arnForObjects(prefix)],
      }),
    );
    // Without ListBucket a missing key answers 403 instead of 404; the prefix condition keeps it to this stage.
    jobRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [artifactBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix] } },
      }),
    );
    Validations.of(jobRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(artifactBucket)}.Arn>/jobs/${stageName}/*]`,
      reason: `Job inputs and outputs have per-group keys under jobs/${stageName}/ (one folder per range and attempt); the wildcard is limited to this stage's prefix.`,
    });
    return jobRole;
  }

  private createJobDefinition(
    stage: DeployedStage,
    infrastructure: ProvingStageInfrastructure,
  ): batch.EcsJobDefinition {
    const { resources } = stage.executor;
    const { rollupConfigPath } = infrastructure.images;
    return new batch.EcsJobDefinition(this, 'JobDefinition', {
      jobDefinitionName: this.jobDefinitionName,
      propagateTags: true,
      timeout: Duration.seconds(batchAttemptTimeoutSeconds(stage.executor.timeoutSeconds)),
      retryAttempts: stage.executor.attempts,
      retryStrategies: BATCH_RETRY_RULES.map(({ action, ...reason }) =>
        batch.RetryStrategy.of(
          action === 'RETRY' ? batch.Action.RETRY : batch.Action.EXIT,
          batch.Reason.custom(reason),
        ),
      ),
      container: new batch.EcsEc2ContainerDefinition(this, 'Container', {
        image: infrastructure.images.imageOf(stage),
        cpu: resources.vcpus,
        memory: Size.mebibytes(resources.memoryMiB),
        ...(resources.gpus > 0 ? { gpu: resources.gpus } : {}),
        jobRole: this.jobRole,
        executionRole: infrastructure.executionRole,
        logging: ecs.LogDriver.awsLogs({ logGroup: infrastructure.jobLogGroup, streamPrefix: stage.name }),
        environment: {
          [JOB_ENV.bucket]: infrastructure.artifactBucket.bucketName,
          ...(rollupConfigPath === undefined ? {} : { [ROLLUP_CONFIG_PATH_ENV]: rollupConfigPath }),
        },
        secrets: jobSecrets(infrastructure.rpcEndpoints),
      }),
    });
  }
}

/**
 * The job's endpoint secrets, from SSM through the execution role (never plain environment values):
 * the RPC URLs, and the prover-only endpoints when configured.
 */
function jobSecrets(endpoints: RpcEndpoints): Record<string, batch.Secret> {
  const prover = endpoints.proverParameters;
  return {
    [JOB_ENV.l1RpcUrls]: batch.Secret.fromSsmParameter(endpoints.parameters.l1),
    [JOB_ENV.l2RpcUrls]: batch.Secret.fromSsmParameter(endpoints.parameters.l2),
    ...(prover === undefined
      ? {}
      : {
          [JOB_ENV.l1BeaconRpc]: batch.Secret.fromSsmParameter(prover.l1Beacon),
          [JOB_ENV.l2NodeRpc]: batch.Secret.fromSsmParameter(prover.l2Node),
        }),
  };
}

/**
 * Cancel a job that sat `RUNNABLE` at the head of a queue longer than `maxTimeSeconds` for each
 * reason Batch names (no capacity, maxvCpus too small, no instance type the job fits): the job fails,
 * its failure class is infrastructure and the retry goes to the on-demand-only queue.
 */
function runnableTimeLimitActions(maxTimeSeconds: number): batch.JobStateTimeLimitAction[] {
  return BATCH_RUNNABLE_CANCEL_REASONS.map((reason) => ({
    action: batch.JobStateTimeLimitActionsAction.CANCEL,
    state: batch.JobStateTimeLimitActionsState.RUNNABLE,
    maxTime: Duration.seconds(maxTimeSeconds),
    reason: reason as batch.JobStateTimeLimitActionsReason,
  }));
}

/** Instance types for a stage: the configured ones, the SP1 GPU defaults, or Batch's optimal CPU types. */
function instanceChoice(stage: DeployedStage): {
  instanceTypes: ec2.InstanceType[];
  useOptimalInstanceClasses: boolean;
} {
  const types =
    stage.executor.instanceTypes ??
    (stage.executor.resources.gpus > 0 ? [...DEFAULT_SP1_INSTANCE_TYPES] : []);
  return {
    instanceTypes: types.map((type) => new ec2.InstanceType(type)),
    useOptimalInstanceClasses: types.length === 0,
  };
}

/** A stage's Batch resources and the names the functions submit with (`BATCH_JOB_TARGETS`). */
export type StageJobTarget = ProvingStage;
