import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SQS_EVENT_SOURCE_DEFAULTS } from '../../devnet/stand-ins/sqs-event-source-defaults.js';
import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { METRIC_NAMESPACE } from '../../lambdas/core/ports/telemetry.js';
import { bundleLambdas, type LambdaHandlerName } from '../../scripts/bundle-lambdas.js';
import { BUNDLE_CEILING_BYTES } from '../integration/handlers/bundle-ceilings.js';
import { useExampleStack } from './pipeline-stack-fixture.js';
import { PROJECT_ROOT } from './synth-pipeline.js';

describe('PipelineStack with config/aws-example.json', () => {
  // Prepare: one synth for the whole file, with esbuild bundling and CloudFormation validation (the CLI path).
  const { synth, resources, ofType, functionId } = useExampleStack({ bundling: true, cfnValidation: true });

  describe('functions', () => {
    it('run Node 22 on arm64 with esbuild bundles, log retention and the environment contract', () => {
      const functions = ofType('AWS::Lambda::Function');
      for (const [, fn] of functions) {
        expect(fn.Properties.Runtime).toBe('nodejs22.x');
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Handler).toBe('index.handler');
        const env = fn.Properties.Environment.Variables as Record<string, unknown>;
        expect(parsePipelineConfig(JSON.parse(env.PIPELINE_CONFIG_JSON as string)).name).toBe(
          'rollup-prover',
        );
        const rollupConfig = readFileSync(join(PROJECT_ROOT, 'config/rollup/example-mainnet.json'));
        expect(env.ROLLUP_CONFIG_HASH).toBe(`0x${createHash('sha256').update(rollupConfig).digest('hex')}`);
        expect(env.POWERTOOLS_SERVICE_NAME).toBe('rollup-prover');
        expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(METRIC_NAMESPACE);
        // The example runs on-demand: each stage's one queue is on-demand, no on-demand-only queue.
        expect(JSON.parse(env.BATCH_JOB_TARGETS as string)).toEqual({
          range: { jobQueue: 'rollup-prover-range', jobDefinition: 'rollup-prover-range' },
          aggregate: { jobQueue: 'rollup-prover-aggregate', jobDefinition: 'rollup-prover-aggregate' },
        });
        expect(env).toHaveProperty('STATE_TABLE_NAME');
        expect(env).toHaveProperty('ARTIFACT_BUCKET_NAME');
        expect(env).toHaveProperty('TOPIC_QUEUE_URLS');
      }
      const withKey = functions.filter(
        ([, fn]) => 'PROPOSER_KMS_KEY_ID' in fn.Properties.Environment.Variables,
      );
      expect(withKey.map(([id]) => id)).toEqual([functionId('Proposer/Function')]);
      for (const [, group] of ofType('AWS::Logs::LogGroup'))
        expect(group.Properties.RetentionInDays).toBe(30);
    });

    it('feeds every topic to the dispatcher in batches of up to 10 within 1 s, with partial batch failures and at most 5 concurrent invocations each', () => {
      const dispatcher = functionId('Orchestrator/Dispatcher');
      const mappings = ofType('AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(3);
      for (const [, mapping] of mappings) {
        expect(mapping.Properties.FunctionName).toEqual({ Ref: dispatcher });
        expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
        expect(mapping.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
        expect(mapping.Properties.BatchSize).toBe(10);
        expect(mapping.Properties.MaximumBatchingWindowInSeconds).toBe(1);
        // The local run's event sources take batches as large as the deployed mappings (without
        // their 1 s window: locally it merged almost nothing and cost up to 3 s per proposal).
        expect(mapping.Properties.BatchSize).toBe(SQS_EVENT_SOURCE_DEFAULTS.batchSize);
      }
      const queueNames = mappings.map(
        ([, m]) => resources()[m.Properties.EventSourceArn['Fn::GetAtt'][0]]?.Properties.QueueName,
      );
      expect(queueNames).toContain('rollup-prover-aggregate-proofs');
    });

    it("runs the watcher every minute and the job-state function on this app's Batch job state changes", () => {
      synth().template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('Watcher/Function'), 'Arn'] } })],
      });
      synth().template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.batch'],
          'detail-type': ['Batch Job State Change'],
          detail: {
            jobQueue: ofType('AWS::Batch::JobQueue').map(([id]) => ({ 'Fn::GetAtt': [id, 'JobQueueArn'] })),
            status: ['SUCCEEDED', 'FAILED'],
          },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionId('Orchestrator/JobState'), 'Arn'] },
            DeadLetterConfig: Match.anyValue(),
          }),
        ],
      });
    });

    it('gives the scheduled watcher and proposer no Lambda async retries; the job-state function keeps its two', () => {
      // Act
      const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
      const of = (path: string) => configs.filter((c) => c.FunctionName.Ref === functionId(path));
      // Assess
      expect(of('Watcher/Function')).toEqual([
        expect.objectContaining({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }),
      ]);
      expect(of('Proposer/Function')).toEqual([
        expect.objectContaining({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 }),
      ]);
      expect(of('Orchestrator/JobState')).toEqual([expect.objectContaining({ MaximumRetryAttempts: 2 })]);
    });

    it('lets only the functions that use RPC read the RPC URL parameters', () => {
      const readers = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('ssm:GetParameter'))
        .map(([, p]) => ({
          roles: JSON.stringify(p.Properties.Roles),
          doc: JSON.stringify(p.Properties.PolicyDocument),
        }));
      const watcher = readers.find((r) => r.roles.includes('WatcherFunctionRole'));
      const proposer = readers.find((r) => r.roles.includes('ProposerFunctionRole'));
      expect(watcher?.doc).toContain('parameter/rollup-prover/l2-rpc-urls');
      expect(watcher?.doc).not.toContain('l1-rpc-urls');
      expect(proposer?.doc).toContain('parameter/rollup-prover/l1-rpc-urls');
      expect(proposer?.doc).toContain('parameter/rollup-prover/l2-rpc-urls');
      expect(readers.some((r) => r.roles.includes('Dispatcher'))).toBe(false);
    });
  });

  describe('bundles', () => {
    /** The handler entry of each function (construct path), as the stack's constructs give it. */
    const HANDLER_OF = {
      'Watcher/Function': 'watcher',
      'Orchestrator/Dispatcher': 'dispatcher',
      'Orchestrator/JobState': 'job-state',
      'Proposer/Function': 'proposer',
    } as const;

    /** Bytes of the deployed `index.mjs` of the function at `path` (its code asset in the cloud assembly). */
    const deployedBytes = (path: keyof typeof HANDLER_OF) => {
      const fn = resources()[functionId(path)] as unknown as { Properties: { Code: { S3Key: string } } };
      const assetHash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
      return statSync(join(synth().outdir, `asset.${assetHash}`, 'index.mjs')).size;
    };

    it.each(Object.entries(HANDLER_OF) as Array<[keyof typeof HANDLER_OF, LambdaHandlerName]>)(
      'deploys %s (the %s handler) within its bundle ceiling, byte for byte what npm run bundle builds',
      async (path, handler) => {
        // Prepare
        const outDir = mkdtempSync(join(tmpdir(), 'cdk-bundle-'));
        try {
          const [scripted] = await bundleLambdas(outDir, [handler]);

          // Act
          const deployed = deployedBytes(path);

          // Assess
          expect(deployed).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES[handler]);
          expect(deployed).toBe(scripted?.bytes);
        } finally {
          rmSync(outDir, { recursive: true, force: true });
        }
      },
      60_000,
    );
  });

  describe('cdk-nag AwsSolutions', () => {
    it('leaves no unacknowledged errors', () => {
      // The AwsSolutions plugin ran; the report lists a plugin only when it has (suppressed) findings.
      expect(synth().app.policyValidationBeta1.map((plugin) => plugin.name)).toContain('AwsSolutions');
      const nag = synth().report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      expect(nag?.violations.filter((v) => v.severity === 'error') ?? []).toEqual([]);
    });

    it('gives every acknowledgement a reason', () => {
      expect(synth().acknowledgements.length).toBeGreaterThan(0);
      for (const { id, reason } of synth().acknowledgements) {
        expect(reason.length, id).toBeGreaterThan(60);
      }
    });
  });
});
