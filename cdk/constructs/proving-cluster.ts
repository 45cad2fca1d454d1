import { relative, sep } from 'node:path';
import { Annotations, Duration, IgnoreMode, Size, Stack, Token, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { JOB_ENV, ROLLUP_CONFIG_PATH_ENV } from '../../lambdas/adapters/aws/batch-job-environment.js';
import { BATCH_TIMEOUT_MARGIN_SECONDS } from '../../lambdas/adapters/aws/batch-job-runner.js';
import { DEFAULT_SP1_INSTANCE_TYPES } from '../../lambdas/core/config/gpu-instances.js';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';
import type { StageConfig } from '../../lambdas/core/config/schema.js';
import { ecrRepositoryArn, parseEcrImageUri } from '../deploy/ecr-image-uri.js';
import { logicalIdOf } from '../nag/logical-id.js';
import type { RpcEndpoints } from './rpc-endpoints.js';

export interface ProvingClusterProps {
  /** Pipeline name: job queues and job definitions are named `<pipelineName>-<stage>`. */
  readonly pipelineName: string;
  /** The stages whose executor runs on AWS Batch (one queue, job definition and environments each). */
  readonly stages: readonly StageConfig[];
  /** Where jobs read their input and write their output (`jobs/<stage>/…` only). */
  readonly artifactBucket: s3.IBucket;
  /** RPC URL parameters, handed to jobs as container secrets `L1_RPC_URLS` / `L2_RPC_URLS`. */
  readonly rpcEndpoints: RpcEndpoints;
  /** Repository root: the Docker build context of the job image. */
  readonly projectRoot: string;
  /**
   * The rollup config file the pipeline config names (absolute path). It must lie under
   * `config/rollup/` of `projectRoot`, which the job image copies to `/app/config/rollup/`; jobs get
   * its in-image path as `ROLLUP_CONFIG_PATH`.
   */
  readonly rollupConfigFile: string;
  /**
   * Image holding the prover binary under `/prover/` (`PROVER_IMAGE` build argument of the job image).
   * @default - none: the built image carries only the repo's mock provers (a warning for `sp1` stages)
   */
  readonly proverImage?: string;
  readonly maxVcpus: number;
  /** @default 0 (scale to zero: GPU capacity is paid per second) */
  readonly minVcpus?: number;
  /** @default true */
  readonly spot?: boolean;
  /** Add an on-demand environment after the Spot one in each job queue. @default true */
  readonly onDemandFallback?: boolean;
  readonly logRetentionDays: logs.RetentionDays;
  /**
   * Import this VPC instead of creating one (needs a `cdk synth` with credentials once, for the lookup).
   * @default - a new VPC with public and private subnets and one NAT gateway
   */
  readonly vpcId?: string;
  /** @default 3 (more zones, more Spot pools) */
  readonly maxAzs?: number;
  /** @default 1 (the cost lever: one per zone survives a zone outage) */
  readonly natGateways?: number;
  /** Root volume of each GPU instance: the prover image and its scratch space. @default 200 */
  readonly rootVolumeGiB?: number;
  /** Dockerfile of the job image, relative to `projectRoot`. @default 'batch-jobs/Dockerfile' */
  readonly dockerfile?: string;
  /**
   * More Docker build arguments of the job image (e.g. `{ CUDA_IMAGE: … }`).
   * @default - none
   */
  readonly imageBuildArgs?: Readonly<Record<string, string>>;
}

/** A stage's Batch resources and the names the functions submit with (`BATCH_JOB_TARGETS`). */
export interface StageJobTarget {
  readonly jobQueue: batch.JobQueue;
  readonly jobDefinition: batch.EcsJobDefinition;
  readonly jobQueueName: string;
  readonly jobDefinitionName: string;
  /** Compute environments in the job queue's order: Spot first, then on-demand. */
  readonly computeEnvironments: readonly batch.ManagedEc2EcsComputeEnvironment[];
  readonly jobRole: iam.Role;
}

/**
 * The job image's build context: only what `batch-jobs/Dockerfile` copies, so editing the CDK app,
 * tests or docs neither changes the asset hash nor rebuilds the image.
 */
const IMAGE_CONTEXT_EXCLUDES = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!lambdas',
  '!batch-jobs',
  '!config/rollup',
];
/** Where the job image keeps the repository (`WORKDIR` of `batch-jobs/Dockerfile`). */
const IMAGE_APP_DIR = '/app';
/** The repository folder the job image copies with the rollup configs. */
const IMAGE_ROLLUP_CONFIG_DIR = 'config/rollup/';
const BATCH_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * The GPU proving cluster: a VPC, and per Batch stage a Spot compute environment with an on-demand
 * fallback (NVIDIA ECS AMI, the stage's GPU instance types, scale to zero), a job queue trying them
 * in that order, and a job definition with the stage's GPU/vCPU/memory, timeout and a retry
 * strategy that retries Spot reclaims only. Jobs may touch `jobs/<stage>/` of the bucket, nothing else.
 */
export class ProvingCluster extends Construct {
  readonly vpc: ec2.IVpc;
  readonly targets: ReadonlyMap<string, StageJobTarget>;
  readonly jobLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ProvingClusterProps) {
    super(scope, id);
    const spot = props.spot ?? true;
    const onDemand = !spot || (props.onDemandFallback ?? true);
    const minVcpus = props.minVcpus ?? 0;
    if (!Number.isInteger(props.maxVcpus) || props.maxVcpus < 1) {
      throw new Error(`${this.node.path}: maxVcpus got ${props.maxVcpus}, expected a whole number ≥ 1`);
    }
    if (!Number.isInteger(minVcpus) || minVcpus < 0 || minVcpus > props.maxVcpus) {
      throw new Error(
        `${this.node.path}: minVcpus got ${minVcpus}, expected a whole number in 0…maxVcpus (${props.maxVcpus})`,
      );
    }
    const names = pipelineResourceNames(props.pipelineName);
    for (const stage of props.stages) {
      const name = names.jobQueue(stage.name);
      if (!BATCH_NAME.test(name)) {
        throw new Error(
          `${this.node.path}: Batch name "${name}" is invalid, expected letters, digits, - and _ (at most 128)`,
        );
      }
    }

    this.vpc =
      props.vpcId === undefined
        ? this.createVpc(props)
        : ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
    const securityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: this.vpc,
      description: 'GPU prover instances: no inbound traffic; outbound for ECR, S3 and RPC endpoints',
      allowAllOutbound: true,
    });
    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'ECS container agent on the GPU prover instances',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role'),
      ],
    });
    Validations.of(instanceRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      reason:
        'The AWS-maintained policy for the ECS container agent on Batch instances (registering with the cluster, pulling images); AWS updates it as the agent changes. Jobs get their own narrower job roles.',
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'InstanceLaunchTemplate', {
      requireImdsv2: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB ?? 200, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
          }),
        },
      ],
    });

    this.jobLogGroup = new logs.LogGroup(this, 'JobLogs', { retention: props.logRetentionDays });
    const executionRole = new iam.Role(this, 'JobExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description:
        'Pulls the prover image, writes job logs and reads the RPC URL parameters for the container',
    });
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken has no resource-level permissions (AWS requires "*"); image pulls themselves are scoped to the asset repository.',
    });
    const builtImageStages = props.stages.filter((stage) => stage.executor.imageUri === undefined);
    const rollupConfigPath = imageRollupConfigPath(props.projectRoot, props.rollupConfigFile);
    if (rollupConfigPath === undefined && builtImageStages.length > 0) {
      throw new Error(
        `${this.node.path}: chains.l2.rollupConfigPath resolves to ${props.rollupConfigFile}, expected a file under ${IMAGE_ROLLUP_CONFIG_DIR} of the repository (the job image copies only that folder)`,
      );
    }
    // The image build fails unless each configured prover binary is on PATH (or at its absolute path).
    const requiredCommands = [
      ...new Set(
        builtImageStages.flatMap((stage) =>
          stage.executor.backend !== 'mock' && stage.executor.command !== undefined
            ? [stage.executor.command[0] as string]
            : [],
        ),
      ),
    ];
    const buildArgs: Record<string, string> = {
      ...props.imageBuildArgs,
      ...(props.proverImage === undefined ? {} : { PROVER_IMAGE: props.proverImage }),
      ...(requiredCommands.length === 0 ? {} : { REQUIRED_PROVER_COMMANDS: requiredCommands.join(' ') }),
    };
    let assetImage: ecs.ContainerImage | undefined;
    const ecrRepositories = new Map<string, ecr.IRepository>();
    const imageOf = (stage: StageConfig): ecs.ContainerImage => {
      const uri = stage.executor.imageUri;
      if (uri !== undefined) {
        const ecrImage = parseEcrImageUri(uri);
        if (ecrImage === undefined) return ecs.ContainerImage.fromRegistry(uri);
        // A private ECR image: import its repository so the execution role gets pull rights on it.
        const repositoryArn = ecrRepositoryArn(ecrImage);
        let repository = ecrRepositories.get(repositoryArn);
        if (repository === undefined) {
          repository = ecr.Repository.fromRepositoryAttributes(
            this,
            `ImageRepository${ecrRepositories.size + 1}`,
            { repositoryArn, repositoryName: ecrImage.repositoryName },
          );
          ecrRepositories.set(repositoryArn, repository);
        }
        return ecs.ContainerImage.fromEcrRepository(repository, ecrImage.tagOrDigest);
      }
      assetImage ??= ecs.ContainerImage.fromDockerImageAsset(
        new DockerImageAsset(this, 'JobImage', {
          directory: props.projectRoot,
          file: props.dockerfile ?? 'batch-jobs/Dockerfile',
          platform: Platform.LINUX_AMD64,
          exclude: IMAGE_CONTEXT_EXCLUDES,
          ignoreMode: IgnoreMode.DOCKER,
          ...(Object.keys(buildArgs).length === 0 ? {} : { buildArgs }),
        }),
      );
      return assetImage;
    };

    const targets = new Map<string, StageJobTarget>();
    for (const stage of props.stages) {
      const stageScope = new Construct(this, `Stage-${stage.name}`);
      const { resources } = stage.executor;
      const gpu = resources.gpus > 0;
      const environmentProps = {
        vpc: this.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [securityGroup],
        instanceRole,
        launchTemplate,
        maxvCpus: props.maxVcpus,
        replaceComputeEnvironment: false,
        updateToLatestImageVersion: true,
        images: [
          {
            imageType: gpu
              ? batch.EcsMachineImageType.ECS_AL2023_NVIDIA
              : batch.EcsMachineImageType.ECS_AL2023,
          },
        ],
        ...instanceChoice(stage),
      };
      const computeEnvironments: batch.ManagedEc2EcsComputeEnvironment[] = [];
      if (spot) {
        computeEnvironments.push(
          new batch.ManagedEc2EcsComputeEnvironment(stageScope, 'SpotEnvironment', {
            ...environmentProps,
            spot: true,
            allocationStrategy: batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
            minvCpus: minVcpus,
          }),
        );
      }
      if (onDemand) {
        computeEnvironments.push(
          new batch.ManagedEc2EcsComputeEnvironment(stageScope, 'OnDemandEnvironment', {
            ...environmentProps,
            spot: false,
            allocationStrategy: batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
            minvCpus: spot ? 0 : minVcpus,
          }),
        );
      }

      const jobQueueName = names.jobQueue(stage.name);
      const jobDefinitionName = names.jobDefinition(stage.name);
      const jobQueue = new batch.JobQueue(stageScope, 'JobQueue', {
        jobQueueName,
        priority: 1,
        computeEnvironments: computeEnvironments.map((computeEnvironment, i) => ({
          computeEnvironment,
          order: i + 1,
        })),
      });

      const jobRole = new iam.Role(stageScope, 'JobRole', {
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        description: `Stage ${stage.name} jobs: read and write jobs/${stage.name}/ of the artifact bucket`,
      });
      const prefix = `jobs/${stage.name}/*`;
      jobRole.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [props.artifactBucket.arnForObjects(prefix)],
        }),
      );
      // Without ListBucket a missing key answers 403 instead of 404; the prefix condition keeps it to this stage.
      jobRole.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [props.artifactBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [prefix] } },
        }),
      );
      Validations.of(jobRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.artifactBucket)}.Arn>/jobs/${stage.name}/*]`,
        reason: `Job inputs and outputs have per-group keys under jobs/${stage.name}/ (one folder per range and attempt); the wildcard is limited to this stage's prefix.`,
      });

      const jobDefinition = new batch.EcsJobDefinition(stageScope, 'JobDefinition', {
        jobDefinitionName,
        propagateTags: true,
        timeout: Duration.seconds(stage.executor.timeoutSeconds + BATCH_TIMEOUT_MARGIN_SECONDS),
        retryAttempts: stage.executor.attempts,
        // As AWS documents for Spot: retry when the host was reclaimed, exit on anything else (the
        // pipeline's group policy decides on prover failures: retry, bisect or fail).
        retryStrategies: [
          batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
          batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onReason: '*' })),
        ],
        container: new batch.EcsEc2ContainerDefinition(stageScope, 'Container', {
          image: imageOf(stage),
          cpu: resources.vcpus,
          memory: Size.mebibytes(resources.memoryMiB),
          ...(gpu ? { gpu: resources.gpus } : {}),
          jobRole,
          executionRole,
          logging: ecs.LogDriver.awsLogs({ logGroup: this.jobLogGroup, streamPrefix: stage.name }),
          environment: {
            [JOB_ENV.bucket]: props.artifactBucket.bucketName,
            ...(rollupConfigPath === undefined ? {} : { [ROLLUP_CONFIG_PATH_ENV]: rollupConfigPath }),
          },
          secrets: {
            [JOB_ENV.l1RpcUrls]: batch.Secret.fromSsmParameter(props.rpcEndpoints.parameters.l1),
            [JOB_ENV.l2RpcUrls]: batch.Secret.fromSsmParameter(props.rpcEndpoints.parameters.l2),
          },
        }),
      });
      if (
        stage.executor.backend === 'sp1' &&
        stage.executor.imageUri === undefined &&
        props.proverImage === undefined
      ) {
        Annotations.of(jobDefinition).addWarningV2(
          NO_SP1_PROVER_IMAGE_WARNING,
          `Stage "${stage.name}" has backend "sp1" but neither context proverImage (-c proverImage=<image with the prover under /prover/>) nor stages[].executor.imageUri is given: the job image would carry only the mock provers, ${stage.executor.command === undefined ? 'so its jobs would run a mock prover' : `so building it (cdk deploy) fails: "${stage.executor.command[0]}" is not in the image`}.`,
        );
      }
      targets.set(stage.name, {
        jobQueue,
        jobDefinition,
        jobQueueName,
        jobDefinitionName,
        computeEnvironments,
        jobRole,
      });
    }
    this.targets = targets;
  }

  /** The Batch resources of a stage. @throws Error naming the known stages. */
  target(stage: string): StageJobTarget {
    const found = this.targets.get(stage);
    if (found === undefined) {
      throw new Error(
        `${this.node.path}: no Batch target for stage "${stage}", expected one of: ${[...this.targets.keys()].join(', ')}`,
      );
    }
    return found;
  }

  /**
   * Lets `grantee` submit jobs of `stages` (any revision of their job definitions) and look up jobs
   * by name (the runner's idempotency check; `batch:ListJobs` has no resource-level permissions).
   */
  grantSubmit(grantee: iam.IGrantable & IConstruct, stages: readonly string[]): void {
    if (stages.length === 0) return;
    const stack = Stack.of(this);
    const resources = stages.flatMap((stage) => {
      const target = this.target(stage);
      return [
        target.jobQueue.jobQueueArn,
        stack.formatArn({
          service: 'batch',
          resource: 'job-definition',
          resourceName: target.jobDefinitionName,
        }),
        stack.formatArn({
          service: 'batch',
          resource: 'job-definition',
          resourceName: `${target.jobDefinitionName}:*`,
        }),
      ];
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['batch:SubmitJob'], resources }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['batch:ListJobs'], resources: ['*'] }),
    );
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    for (const stage of stages) {
      const name = this.target(stage).jobDefinitionName;
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:batch:${stack.region}:${stack.account}:job-definition/${name}:*]`,
        reason: `SubmitJob names job definition ${name} without a revision (Batch runs the latest active one); ":*" covers its revisions and nothing else.`,
      });
    }
    Validations.of(grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'batch:ListJobs (the job runner looks a job up by name before submitting, for idempotency) supports no resource-level permissions.',
    });
  }

  private createVpc(props: ProvingClusterProps): ec2.IVpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 3,
      natGateways: props.natGateways ?? 1,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'provers', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      // Job artifacts go to S3 through the gateway endpoint: no NAT data charges for proofs.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetentionDays });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    // `as ec2.IVpc`: aws-cdk-lib's declarations predate exactOptionalPropertyTypes (Vpc.vpnGatewayId).
    return vpc as ec2.IVpc;
  }
}

/**
 * Id of the synth warning for an `sp1` stage without a prover image (no `-c proverImage`, no
 * `imageUri`); acknowledge it with `Annotations.of(…).acknowledgeWarning` only for mock-prover stacks.
 */
export const NO_SP1_PROVER_IMAGE_WARNING = '@rollup-prover/no-sp1-prover-image';

/**
 * The rollup config's path inside the job image (`/app/config/rollup/…`), or `undefined` when the
 * file lies outside `config/rollup/` of the repository (the image copies only that folder).
 */
function imageRollupConfigPath(projectRoot: string, rollupConfigFile: string): string | undefined {
  const inRepository = relative(projectRoot, rollupConfigFile).split(sep).join('/');
  if (!inRepository.startsWith(IMAGE_ROLLUP_CONFIG_DIR)) return undefined;
  return `${IMAGE_APP_DIR}/${inRepository}`;
}

/** Instance types for a stage: the configured ones, the SP1 GPU defaults, or Batch's optimal CPU types. */
function instanceChoice(stage: StageConfig): {
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
