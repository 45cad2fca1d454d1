import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';
import { type Json, type Resource, useExampleStack } from './pipeline-stack-fixture.js';
import { spotExampleConfig } from './synth-pipeline.js';

describe('PipelineStack with config/aws-example.json on Spot with the on-demand fallback', () => {
  // Prepare: one synth for the whole file. No bundling or CloudFormation validation: these resources come
  // out the same either way (pipeline-stack-functions.test.ts synthesizes the CLI path). The Spot
  // variant builds every resource the committed, on-demand example builds, and the Spot ones.
  const { synth, resources, ofType, functionId } = useExampleStack({}, spotExampleConfig());

  it('creates the expected resources, one per concern', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.resourceCountIs('AWS::SQS::Queue', 7);
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourceCountIs('AWS::Batch::ComputeEnvironment', 4);
    template.resourceCountIs('AWS::Batch::JobQueue', 4);
    template.resourceCountIs('AWS::Batch::JobDefinition', 2);
    template.resourceCountIs('AWS::Events::Rule', 5);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  describe('state', () => {
    it('keeps the table on demand with PITR, encryption, deletion protection and RETAIN', () => {
      const [[, table]] = ofType('AWS::DynamoDB::GlobalTable') as [[string, Resource]];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      expect(table.Properties.GlobalSecondaryIndexes[0]).toMatchObject({
        IndexName: 'byKindStatus',
        KeySchema: [
          { AttributeName: 'kindStatus', KeyType: 'HASH' },
          { AttributeName: 'sortKey', KeyType: 'RANGE' },
        ],
      });
      expect(table.Properties.Replicas[0]).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    });

    it('encrypts, blocks public access, expires jobs/ and payloads/ and retains the artifact bucket', () => {
      synth().template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifact-bucket/' }),
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ Prefix: 'jobs/', ExpirationInDays: 30, Status: 'Enabled' }),
              Match.objectLike({ Prefix: 'payloads/', ExpirationInDays: 30, Status: 'Enabled' }),
            ]),
          },
        }),
      });
      const tlsOnly = ofType('AWS::S3::BucketPolicy').filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      );
      expect(tlsOnly).toHaveLength(2);
    });
    it("outputs the state table and artifact bucket names CloudFormation gives them (the CLI's --table / --bucket)", () => {
      const { template } = synth();
      const [[tableId]] = ofType('AWS::DynamoDB::GlobalTable') as [[string, Resource]];
      const bucketId = ofType('AWS::S3::Bucket').find(([, bucket]) =>
        JSON.stringify(bucket.Properties.LifecycleConfiguration ?? {}).includes('payloads/'),
      )?.[0];
      template.hasOutput('StateTableName', { Value: { Ref: tableId } });
      template.hasOutput('ArtifactBucketName', { Value: { Ref: bucketId } });
    });

    it("names each stage's on-demand-only job queue as the shared naming module does", () => {
      const names = pipelineResourceNames('rollup-prover');
      const queues = ofType('AWS::Batch::JobQueue').map(([, queue]) => queue.Properties.JobQueueName);
      expect(queues).toEqual(
        expect.arrayContaining([names.onDemandJobQueue('range'), names.onDemandJobQueue('aggregate')]),
      );
    });
  });

  describe('message bus', () => {
    it('gives every topic queue a dead-letter queue, SSE and a visibility of six dispatcher timeouts', () => {
      const topicQueues = ofType('AWS::SQS::Queue').filter(
        ([, q]) => q.Properties.RedrivePolicy !== undefined,
      );
      expect(topicQueues.map(([, q]) => q.Properties.QueueName).sort()).toEqual([
        'rollup-prover-aggregate-proofs',
        'rollup-prover-blocks',
        'rollup-prover-range-proofs',
      ]);
      for (const [, queue] of topicQueues) {
        const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
        expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
        expect(resources()[dlqId]?.Properties.QueueName).toBe(`${queue.Properties.QueueName}-dlq`);
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        expect(resources()[dlqId]?.Properties.SqsManagedSseEnabled).toBe(true);
        expect(queue.Properties.VisibilityTimeout).toBe(360);
      }
      for (const [, policy] of ofType('AWS::SQS::QueuePolicy')) {
        expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    });
  });

  describe('proving cluster', () => {
    it('defines GPU job definitions with resources, timeout, Spot-only retries and RPC secrets', () => {
      const [[, range]] = ofType('AWS::Batch::JobDefinition').filter(
        ([, d]) => d.Properties.JobDefinitionName === 'rollup-prover-range',
      ) as [[string, Resource]];
      const container = range.Properties.ContainerProperties;
      expect(container.ResourceRequirements).toEqual(
        expect.arrayContaining([
          { Type: 'GPU', Value: '1' },
          { Type: 'VCPU', Value: '16' },
          { Type: 'MEMORY', Value: '58982' },
        ]),
      );
      expect(range.Properties.Timeout).toEqual({ AttemptDurationSeconds: 3660 });
      expect(range.Properties.RetryStrategy).toEqual({
        Attempts: 3,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'RETRY', OnStatusReason: 'CannotPullContainerError*' },
          { Action: 'RETRY', OnStatusReason: 'ResourceInitializationError*' },
          { Action: 'RETRY', OnStatusReason: 'CannotStartContainerError*' },
          { Action: 'EXIT', OnReason: '*' },
        ],
      });
      expect(container.Secrets.map((s: { Name: string }) => s.Name).sort()).toEqual([
        'L1_BEACON_RPC',
        'L1_RPC_URLS',
        'L2_NODE_RPC',
        'L2_RPC_URLS',
      ]);
      expect(JSON.stringify(container.Secrets)).toContain('parameter/rollup-prover/l1-rpc-urls');
      expect(JSON.stringify(container.Image)).toContain('cdk-hnb659fds-container-assets');
    });

    it('uses Spot then on-demand GPU environments with the AL2023 NVIDIA AMI, scaling to zero', () => {
      const environments = ofType('AWS::Batch::ComputeEnvironment');
      for (const [, environment] of environments) {
        const resourcesOf = environment.Properties.ComputeResources;
        expect(resourcesOf.InstanceTypes).toEqual(['g6.4xlarge', 'g6e.4xlarge', 'g5.4xlarge']);
        expect(resourcesOf.Ec2Configuration).toEqual([{ ImageType: 'ECS_AL2023_NVIDIA' }]);
        expect(resourcesOf.MinvCpus).toBe(0);
        expect(resourcesOf.MaxvCpus).toBe(64);
      }
      for (const [, queue] of ofType('AWS::Batch::JobQueue')) {
        const order = queue.Properties.ComputeEnvironmentOrder as Array<{
          Order: number;
          ComputeEnvironment: { 'Fn::GetAtt': [string, string] };
        }>;
        const types = [...order]
          .sort((a, b) => a.Order - b.Order)
          .map(
            (entry) =>
              resources()[entry.ComputeEnvironment['Fn::GetAtt'][0]]?.Properties.ComputeResources.Type,
          );
        expect(types).toEqual(
          String(queue.Properties.JobQueueName).endsWith('-on-demand') ? ['EC2'] : ['SPOT', 'EC2'],
        );
      }
    });

    it('limits each job role to its own stage prefix of the bucket', () => {
      const jobPolicies = ofType('AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.Roles).includes('JobRole'),
      );
      expect(jobPolicies).toHaveLength(2);
      for (const [, policy] of jobPolicies) {
        const doc = JSON.stringify(policy.Properties.PolicyDocument);
        const stage = doc.includes('/jobs/range/*') ? 'range' : 'aggregate';
        expect(doc).toContain(`/jobs/${stage}/*`);
        expect(doc).not.toContain(`/jobs/${stage === 'range' ? 'aggregate' : 'range'}/`);
        expect(doc).not.toContain('s3:DeleteObject');
      }
    });
  });

  describe('proposer', () => {
    it('runs every 5 minutes with reserved concurrency 1', () => {
      const proposer = functionId('Proposer/Function');
      synth().template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [proposer, 'Arn'] } })],
      });
      expect(resources()[proposer]?.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(resources()[proposer]?.Properties.Timeout).toBe(240);
    });

    it('signs with a retained secp256k1 KMS key that only the proposer role may use', () => {
      const signingKeys = ofType('AWS::KMS::Key').filter(
        ([, k]) => k.Properties.KeySpec === 'ECC_SECG_P256K1',
      );
      expect(signingKeys).toHaveLength(1);
      const [[keyId, key]] = signingKeys as [[string, Resource]];
      expect(key.Properties.KeyUsage).toBe('SIGN_VERIFY');
      expect(key.DeletionPolicy).toBe('Retain');
      const signers = ofType('AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('kms:Sign'),
      );
      expect(signers).toHaveLength(1);
      expect(JSON.stringify(signers[0]?.[1].Properties.Roles)).toContain('ProposerFunctionRole');
      expect(JSON.stringify(signers[0]?.[1].Properties.PolicyDocument)).toContain(keyId);
      const deny = (key.Properties.KeyPolicy.Statement as Array<Record<string, Json>>).find(
        (s) => s.Effect === 'Deny',
      );
      expect(deny).toMatchObject({ Action: 'kms:Sign', Principal: { AWS: '*' } });
      expect(JSON.stringify(deny?.Condition)).toContain('ProposerFunctionRole');
    });
  });

  describe('monitoring', () => {
    it('draws heads, lag, queues, dead letters, jobs, balance, gas and function errors', () => {
      const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Resource]];
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      for (const name of [
        METRIC.l2Head,
        METRIC.enqueuedHead,
        METRIC.provenHead,
        METRIC.proposedHead,
        METRIC.proposalLagBlocks,
        METRIC.proposalLagSeconds,
        METRIC.jobSucceeded,
        METRIC.jobFailed,
        METRIC.jobDurationSeconds,
        METRIC.proposerBalanceEth,
        METRIC.proposalGasUsed,
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
        'Errors',
        'Throttles',
      ]) {
        expect(body, name).toContain(name);
      }
    });

    it('alarms on lag, dead letters, job failure rate, balance, missing proposals, L2 reorgs and abandoned groups, to an encrypted topic', () => {
      const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
      const byMetric = (name: string) =>
        alarms.filter(
          (a) =>
            a.MetricName === name ||
            (a.Metrics ?? []).some((m: Json) => m.MetricStat?.Metric.MetricName === name),
        );
      expect(byMetric(METRIC.proposalLagBlocks)).toEqual([
        expect.objectContaining({
          Threshold: 5400,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'breaching',
        }),
      ]);
      expect(byMetric(METRIC.proposerBalanceEth)[0]).toMatchObject({
        Threshold: 0.5,
        ComparisonOperator: 'LessThanThreshold',
      });
      // 3 × max(5 min schedule, 1800 blocks × 2 s) = 3 hours.
      expect(byMetric(METRIC.proposals)[0]).toMatchObject({
        Period: 10800,
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(4);
      const failureRates = alarms.filter((a) => JSON.stringify(a.Metrics ?? []).includes(METRIC.jobFailed));
      expect(failureRates).toHaveLength(2);
      expect(failureRates[0]).toMatchObject({ Threshold: 20 });
      expect(byMetric(METRIC.reorgsDetected)).toHaveLength(2);
      expect(byMetric(METRIC.groupAbandoned).map((a) => a.Dimensions)).toEqual(
        expect.arrayContaining([
          expect.arrayContaining([{ Name: 'stage', Value: 'range' }]),
          expect.arrayContaining([{ Name: 'stage', Value: 'aggregate' }]),
        ]),
      );
      const [[, topic]] = ofType('AWS::SNS::Topic') as [[string, Resource]];
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    });
  });
});
