import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../cdk/deploy/deployment-config.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { synthPipeline, writeConfigVariant } from './synth-pipeline.js';

describe('aws.dispatcherMaxConcurrency', () => {
  it("caps each of the dispatcher's SQS event sources at the configured concurrency", () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.dispatcherMaxConcurrency = 8;
    });
    // Act
    const { template } = synthPipeline(path);
    // Assess
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      expect(mapping.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 8 });
    }
  });

  it.each([1, 1001, 2.5])('refuses %s, naming the field', (value) => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.dispatcherMaxConcurrency = value;
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
    expect((error as ConfigError).message).toContain('aws.dispatcherMaxConcurrency');
  });
});
