import { describe, expect, it } from 'vitest';
import { OFFLINE_ACCOUNT, OFFLINE_REGION, stackEnvironment } from '../../cdk/deploy/stack-environment.js';
import { synthPipeline, writeConfigVariant } from './synth-pipeline.js';

describe('stackEnvironment', () => {
  it.each([
    [
      '-c region wins over aws.region and the CLI',
      { contextRegion: 'eu-west-1', configRegion: 'us-east-2', cliRegion: 'ap-south-1' },
      'eu-west-1',
    ],
    ['aws.region wins over the CLI', { configRegion: 'us-east-2', cliRegion: 'ap-south-1' }, 'us-east-2'],
    ['the CLI region comes next', { cliRegion: 'ap-south-1' }, 'ap-south-1'],
    ['an empty -c region counts as unset', { contextRegion: '', configRegion: 'us-east-2' }, 'us-east-2'],
    ['offline placeholder last', {}, OFFLINE_REGION],
  ])('%s', (_, sources, region) => {
    expect(stackEnvironment(sources).region).toBe(region);
  });

  it('takes the account from context, then the CLI, then the offline placeholder', () => {
    expect(stackEnvironment({ contextAccount: '111111111111', cliAccount: '222222222222' }).account).toBe(
      '111111111111',
    );
    expect(stackEnvironment({ cliAccount: '222222222222' }).account).toBe('222222222222');
    expect(stackEnvironment({}).account).toBe(OFFLINE_ACCOUNT);
  });

  it('puts the stack in the -c region even when the config names another', () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.region = 'us-east-2';
    });
    // Act
    const { stack } = synthPipeline(path, { context: { region: 'us-east-1' } });
    // Assess
    expect(stack.region).toBe('us-east-1');
  });
});
