import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../cdk/deploy/deployment-config.js';
import { ssmParameterNameProblem } from '../../cdk/deploy/ssm-parameter-names.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { PROJECT_ROOT, writeConfigVariant } from './synth-pipeline.js';

/** The problems `loadDeploymentConfig` reports for `path` (none when it loads). */
function problemsOf(path: string): string[] {
  try {
    loadDeploymentConfig(path);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.issues];
  }
}

describe('ssmParameterNameProblem', () => {
  it.each(['/rollup-prover/l1-rpc-urls', '/a', '/prod/rollup_prover/v1.2/l2-node-rpc'])(
    'accepts %s',
    (name) => {
      expect(ssmParameterNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['rollup-prover/l1', /starting with \//],
    ['/rollup prover/l1', /letters, digits/],
    ['/rollup-prover//l1', /letters, digits/],
    ['/rollup-prover/', /letters, digits/],
    ['/aws/reference/secretsmanager/x', /outside \/aws/],
    ['/SSM/x', /outside \/ssm/],
    [`/${Array.from({ length: 16 }, () => 'a').join('/')}`, /at most 15 levels/],
    [`/${'a'.repeat(1011)}`, /at most 1011 characters/],
  ])('refuses %s', (name, reason) => {
    expect(ssmParameterNameProblem(name)).toMatch(reason);
  });
});

describe('SSM parameters of a deployment', () => {
  it('reads the prover endpoint parameters of the AWS example', () => {
    // Act
    const deployment = loadDeploymentConfig(`${PROJECT_ROOT}/config/aws-example.json`);
    // Assess
    expect(deployment.proverEndpointParameters).toEqual({
      l1BeaconRpcParameter: '/rollup-prover/l1-beacon-rpc',
      l2NodeRpcParameter: '/rollup-prover/l2-node-rpc',
    });
  });

  it('refuses an sp1 pipeline without prover endpoints, naming the stage and the variables', () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      delete raw.aws.proverEndpoints;
    });
    // Act
    const problems = problemsOf(path);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(
        /^aws\.proverEndpoints: got nothing, expected .*stages\[0\] runs backend "sp1".*L1_BEACON_RPC and L2_NODE_RPC/,
      ),
    ]);
  });

  it('needs no prover endpoints when every stage runs the mock backend', () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      delete raw.aws.proverEndpoints;
      for (const stage of raw.stages) {
        stage.executor.backend = 'mock';
        delete stage.executor.command;
      }
    });
    // Act
    const deployment = loadDeploymentConfig(path);
    // Assess
    expect(deployment.proverEndpointParameters).toBeUndefined();
  });

  it('refuses a malformed or reserved name and one parameter named twice, naming each field', () => {
    // Prepare
    const path = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.aws.proverEndpoints.l1BeaconRpcParameter = '/aws/beacon';
      raw.aws.proverEndpoints.l2NodeRpcParameter = '/rollup-prover/l2-rpc-urls';
    });
    // Act
    const problems = problemsOf(path);
    // Assess
    expect(problems).toEqual([
      'aws.proverEndpoints.l1BeaconRpcParameter: got "/aws/beacon", expected a name outside /aws, which SSM reserves',
      'aws.proverEndpoints.l2NodeRpcParameter: got "/rollup-prover/l2-rpc-urls", expected a parameter of its own (chains.l2.rpcUrlsParameter names it too)',
    ]);
  });

  it('documents creating every parameter of the AWS example in docs/deploying.md', () => {
    // Prepare
    const deployment = loadDeploymentConfig(`${PROJECT_ROOT}/config/aws-example.json`);
    const names = [
      deployment.rpcUrlsParameters.l1,
      deployment.rpcUrlsParameters.l2,
      deployment.proverEndpointParameters?.l1BeaconRpcParameter,
      deployment.proverEndpointParameters?.l2NodeRpcParameter,
    ];
    // Act
    const docs = readFileSync(join(PROJECT_ROOT, 'docs/deploying.md'), 'utf8').replaceAll('\\\n', ' ');
    // Assess
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(docs).toMatch(
        new RegExp(`aws ssm put-parameter [^\\n]*--type SecureString[^\\n]*--name ${name} `),
      );
    }
  });
});
