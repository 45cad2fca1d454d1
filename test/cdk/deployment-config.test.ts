import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../cdk/deploy/deployment-config.js';
import { assertEnvironmentFits, literalValue } from '../../cdk/deploy/lambda-environment.js';
import { scheduleMinutes } from '../../cdk/deploy/schedule-minutes.js';
import {
  DEPLOYMENT_EXECUTOR_FIELDS,
  DEPLOYMENT_SECTIONS,
  LOCAL_SECTIONS,
} from '../../lambdas/core/config/config-file-layers.js';
import { pipelineConfigSchema } from '../../lambdas/core/config/schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { PROJECT_ROOT, writeConfigVariant } from './synth-pipeline.js';

describe('scheduleMinutes', () => {
  it.each([
    [60, 1],
    [300, 5],
    [3600, 60],
  ])('turns %i s into %i minutes', (seconds, minutes) => {
    expect(scheduleMinutes(seconds, 'proposer.schedule.everySeconds')).toBe(minutes);
  });

  it.each([1, 30, 90])('refuses %i s, naming the field', (seconds) => {
    expect(scheduleMinutes(seconds, 'watcher.schedule.everySeconds')).toMatch(
      new RegExp(`^watcher\\.schedule\\.everySeconds: got ${seconds}, expected a whole number of minutes`),
    );
  });
});

describe('loadDeploymentConfig', () => {
  it('derives the runtime copy, the rollup config hash and the schedules from the AWS example', () => {
    // Act
    const deployment = loadDeploymentConfig(`${PROJECT_ROOT}/config/aws-example.json`);
    // Assess
    expect(deployment.watcherMinutes).toBe(1);
    expect(deployment.proposerMinutes).toBe(5);
    expect(deployment.rollupConfigHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(deployment.rpcUrlsParameters).toEqual({
      l1: '/rollup-prover/l1-rpc-urls',
      l2: '/rollup-prover/l2-rpc-urls',
    });
    const runtime = JSON.parse(deployment.runtimeConfigJson);
    expect(runtime.aws).toBeUndefined();
    expect(runtime.stages[0].executor.instanceTypes).toBeUndefined();
    expect(deployment.runtimeConfigJson).not.toContain('\n');
  });

  it('gives the functions the runtime layer only: no deployment or local section or field', () => {
    // Prepare: a file holding all three layers, each deployment field set.
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.local = { maxParallelJobs: 4, sqsVisibilityTimeoutSeconds: 20 };
      raw.monitoring.alarmEmail = 'ops@example.com';
      raw.aws.vpcId = 'vpc-0123456789abcdef0';
      raw.stages[0].executor.imageUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/prover:v1';
    });
    // Act
    const deployment = loadDeploymentConfig(path);
    const runtime = JSON.parse(deployment.runtimeConfigJson) as Record<string, unknown>;
    // Assess: the runtime schema, strict and without the layer split, accepts it as it is.
    expect(() => pipelineConfigSchema.parse(runtime)).not.toThrow();
    for (const section of [...DEPLOYMENT_SECTIONS, ...LOCAL_SECTIONS])
      expect(runtime).not.toHaveProperty(section);
    for (const stage of runtime.stages as Array<{ executor: Record<string, unknown> }>) {
      for (const field of DEPLOYMENT_EXECUTOR_FIELDS) expect(stage.executor).not.toHaveProperty(field);
    }
    for (const text of ['ops@example.com', 'vpc-0123456789abcdef0', 'prover:v1', 'g6.4xlarge', 'maxVcpus']) {
      expect(deployment.runtimeConfigJson).not.toContain(text);
    }
    // The deployment layer itself is read: the CDK app gets it beside the runtime layer.
    expect(deployment.monitoring.alarmEmail).toBe('ops@example.com');
    expect(deployment.aws.vpcId).toBe('vpc-0123456789abcdef0');
    expect(deployment.stages[0]!.executor.imageUri).toContain('prover:v1');
    expect(deployment.stages[1]!.executor.instanceTypes).toEqual(['g6.4xlarge', 'g6e.4xlarge', 'g5.4xlarge']);
  });

  it('still runs the GPU checks on the deployment layer', () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.stages[1].executor.instanceTypes = ['g4dn.xlarge'];
    });
    // Act
    let error: unknown;
    try {
      loadDeploymentConfig(path);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toContain(
      'stages[1].executor.instanceTypes[0]: got "g4dn.xlarge": T4 has 16 GB GPU memory, SP1 needs ≥ 24 GB',
    );
  });

  it('lists every reason the devnet config cannot deploy to AWS', () => {
    // Act
    let error: unknown;
    try {
      loadDeploymentConfig(`${PROJECT_ROOT}/config/devnet.json`);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    expect(issues).toContain('aws: got nothing');
    expect(issues).toContain('watcher.schedule.everySeconds: got 1');
    expect(issues).toContain('chains.l1.rpcUrlsParameter: got nothing');
    expect(issues).toContain('proposer.signer.kind: got "anvil-dev"');
  });
});

describe('assertEnvironmentFits', () => {
  it('accepts an environment under 4 KB', () => {
    expect(() => assertEnvironmentFits('Stack/Fn', { A: literalValue('x'.repeat(3000)) })).not.toThrow();
  });

  it('refuses one that may exceed 4 KB once tokens resolve, naming the function and the largest variable', () => {
    expect(() =>
      assertEnvironmentFits('Stack/Fn', {
        PIPELINE_CONFIG_JSON: literalValue('x'.repeat(3950)),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CDK token string, as the stack passes one.
        STATE_TABLE_NAME: { value: '${Token[TOKEN.1]}', maxBytes: 128 },
      }),
    ).toThrow(
      /Stack\/Fn: environment variables may take \d+ bytes once deployed, expected at most 4096.*PIPELINE_CONFIG_JSON/,
    );
  });
});
