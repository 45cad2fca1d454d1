import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { BATCH_NAME_PATTERN } from '../../lambdas/core/config/batch-job-settings.js';
import {
  type PipelineResourceNames,
  pipelineResourceNames,
} from '../../lambdas/core/config/pipeline-resource-names.js';
import { environmentsPerStage, maxVcpusPerEnvironment } from '../deploy/compute-environment-settings.js';
import type { DeployedStage } from '../deploy/deployment-config.js';
import { grantJobControl } from './job-control-grants.js';
import { JobImages } from './job-image.js';
import { ProvingStage, type StageJobTarget } from './proving-stage.js';
import type { RpcEndpoints } from './rpc-endpoints.js';

export interface ProvingClusterProps {
  /** Pipeline name: job queues and job definitions are named `<pipelineName>-<stage>`. */
  readonly pipelineName: string;
  /** The stages whose executor runs on AWS Batch (one queue, job definition and environments each). */
  readonly stages: readonly DeployedStage[];
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
  /** The total across every compute environment: each of them gets an equal whole share. */
  readonly maxVcpus: number;
  /** Seconds a job may sit RUNNABLE at the head of a job queue before Batch cancels it. @default 1800 */
  readonly runnableTimeLimitSeconds?: number;
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

/**
 * The GPU proving cluster: a VPC, what every stage's instances and jobs share (security group,
 * instance role, launch template, execution role, job logs, the job images of `JobImages`), and per
 * Batch stage a `ProvingStage` (compute environments, job queue, job role, job definition). Jobs may
 * touch `jobs/<stage>/` of the bucket, nothing else.
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
    const names = pipelineResourceNames(props.pipelineName);
    const environmentCount = props.stages.length * environmentsPerStage({ spot, onDemand });
    const maxVcpus = maxVcpusPerEnvironment(props.maxVcpus, environmentCount);
    checkClusterProps(this.node.path, props, { minVcpus, maxVcpus, environmentCount }, names);

    this.vpc =
      props.vpcId === undefined
        ? this.createVpc(props)
        : ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
    const { securityGroup, instanceRole, launchTemplate } = this.createInstanceSetup(props);
    this.jobLogGroup = new logs.LogGroup(this, 'JobLogs', { retention: props.logRetentionDays });
    const executionRole = this.createExecutionRole();
    const images = new JobImages(this, {
      stages: props.stages,
      projectRoot: props.projectRoot,
      rollupConfigFile: props.rollupConfigFile,
      ...(props.proverImage === undefined ? {} : { proverImage: props.proverImage }),
      ...(props.dockerfile === undefined ? {} : { dockerfile: props.dockerfile }),
      ...(props.imageBuildArgs === undefined ? {} : { imageBuildArgs: props.imageBuildArgs }),
    });
    const infrastructure = {
      vpc: this.vpc,
      securityGroup,
      instanceRole,
      launchTemplate,
      executionRole,
      jobLogGroup: this.jobLogGroup,
      images,
      artifactBucket: props.artifactBucket,
      rpcEndpoints: props.rpcEndpoints,
      maxVcpus,
      minVcpus,
      runnableTimeLimitSeconds: props.runnableTimeLimitSeconds ?? 1800,
      spot,
      onDemand,
    };
    const targets = new Map<string, StageJobTarget>();
    for (const stage of props.stages) {
      // Stage constructs sit directly under the cluster (`ProvingCluster/Stage-<name>/…`): logical ids follow.
      const target = new ProvingStage(this, `Stage-${stage.name}`, {
        stage,
        jobQueueName: names.jobQueue(stage.name),
        onDemandJobQueueName: names.onDemandJobQueue(stage.name),
        jobDefinitionName: names.jobDefinition(stage.name),
        infrastructure,
      });
      targets.set(stage.name, target);
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
   * Lets `grantee` submit, look up and stop jobs of `stages` (`grantJobControl`).
   */
  grantSubmit(grantee: iam.IGrantable & IConstruct, stages: readonly string[]): void {
    grantJobControl(
      grantee,
      stages.map((stage) => this.target(stage)),
    );
  }

  /** What every GPU instance shares: no-inbound security group, ECS agent role, IMDSv2 launch template. */
  private createInstanceSetup(props: ProvingClusterProps): {
    securityGroup: ec2.SecurityGroup;
    instanceRole: iam.Role;
    launchTemplate: ec2.LaunchTemplate;
  } {
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
    return { securityGroup, instanceRole, launchTemplate };
  }

  /** The role ECS uses to pull job images, write job logs and read the RPC URL secrets. */
  private createExecutionRole(): iam.Role {
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
    return executionRole;
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

/** @throws Error naming the construct path when capacity or a stage's Batch names are invalid. */
function checkClusterProps(
  path: string,
  props: ProvingClusterProps,
  capacity: { minVcpus: number; maxVcpus: number; environmentCount: number },
  names: PipelineResourceNames,
): void {
  const { minVcpus, maxVcpus, environmentCount } = capacity;
  if (!Number.isInteger(props.maxVcpus) || maxVcpus < 1) {
    throw new Error(
      `${path}: maxVcpus got ${props.maxVcpus}, expected a whole number ≥ ${environmentCount} (the total across ${environmentCount} compute environments)`,
    );
  }
  if (!Number.isInteger(minVcpus) || minVcpus < 0 || minVcpus > maxVcpus) {
    throw new Error(
      `${path}: minVcpus got ${minVcpus}, expected a whole number in 0…${maxVcpus} (one compute environment's share of maxVcpus ${props.maxVcpus})`,
    );
  }
  for (const stage of props.stages) {
    const name = names.onDemandJobQueue(stage.name);
    if (!BATCH_NAME_PATTERN.test(name)) {
      throw new Error(
        `${path}: Batch name "${name}" is invalid, expected letters, digits, - and _ (at most 128)`,
      );
    }
  }
}
