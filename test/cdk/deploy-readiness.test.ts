import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Json, useExampleStack } from './pipeline-stack-fixture.js';

const { synth, ofType } = useExampleStack({});

/** The staged build context of the job image asset: what `docker build` receives at deploy. */
function jobImageContext(): string {
  const { outdir, stack } = synth();
  const manifest = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
    dockerImages: Record<string, { source: { directory: string; dockerFile?: string } }>;
  };
  const images = Object.values(manifest.dockerImages).map((image) => image.source);
  expect(images).toHaveLength(1);
  return join(outdir, (images[0] as { directory: string }).directory);
}

describe('the example stack, ready for a real account', () => {
  it('hands each job the prover endpoints as SSM secrets, never as environment values', () => {
    // Act
    const definitions = ofType('AWS::Batch::JobDefinition');
    // Assess
    expect(definitions).toHaveLength(2);
    for (const [, definition] of definitions) {
      const container = definition.Properties.ContainerProperties;
      const secrets = Object.fromEntries(
        container.Secrets.map((secret: { Name: string; ValueFrom: Json }) => [
          secret.Name,
          JSON.stringify(secret.ValueFrom),
        ]),
      );
      expect(Object.keys(secrets).sort()).toEqual([
        'L1_BEACON_RPC',
        'L1_RPC_URLS',
        'L2_NODE_RPC',
        'L2_RPC_URLS',
      ]);
      expect(secrets.L1_BEACON_RPC).toContain(':parameter/rollup-prover/l1-beacon-rpc');
      expect(secrets.L2_NODE_RPC).toContain(':parameter/rollup-prover/l2-node-rpc');
      const environment = (container.Environment ?? []).map((variable: { Name: string }) => variable.Name);
      expect(environment).not.toContain('L1_BEACON_RPC');
      expect(environment).not.toContain('L2_NODE_RPC');
    }
  });

  it('lets the job execution role read the prover endpoint parameters', () => {
    // Act
    const policies = JSON.stringify(ofType('AWS::IAM::Policy').map(([, policy]) => policy.Properties));
    // Assess
    expect(policies).toContain(':parameter/rollup-prover/l1-beacon-rpc');
    expect(policies).toContain(':parameter/rollup-prover/l2-node-rpc');
  });

  it('retains the proposer key alias with the key', () => {
    // Act
    const ofSigningKey = ([id]: [string, unknown]) => id.startsWith('ProposerSigningKey');
    const keys = ofType('AWS::KMS::Key').filter(ofSigningKey);
    const aliases = ofType('AWS::KMS::Alias').filter(ofSigningKey);
    // Assess
    expect(keys).toHaveLength(1);
    expect(aliases).toHaveLength(1);
    const [[, alias]] = aliases as [[string, (typeof aliases)[number][1]]];
    expect(alias.Properties.AliasName).toBe('alias/rollup-prover-proposer');
    for (const [, resource] of [...keys, ...aliases]) {
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('names the dashboard after the pipeline and the region', () => {
    // Act
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    // Assess
    expect(dashboards.map(([, dashboard]) => dashboard.Properties.DashboardName)).toEqual([
      'rollup-prover-us-east-1',
    ]);
  });

  it('builds the job image from a context holding only what the image copies', () => {
    // Act
    const context = jobImageContext();
    // Assess: no CDK app, tests, docs, devnet or Lambda handler code, so editing them rebuilds nothing.
    expect(readdirSync(context).sort()).toEqual([
      '.dockerignore',
      'batch-jobs',
      'config',
      'lambdas',
      'package-lock.json',
      'package.json',
      'tsconfig.json',
    ]);
    expect(readdirSync(join(context, 'lambdas')).sort()).toEqual(['adapters', 'chain', 'core']);
    expect(readdirSync(join(context, 'config'))).toEqual(['rollup']);
    expect(readdirSync(join(context, 'batch-jobs'))).toContain('Dockerfile');
  });
});
