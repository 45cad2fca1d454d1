import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_SP1_PROVER_IMAGE_WARNING } from '../../cdk/constructs/job-image.js';
import {
  PROJECT_ROOT,
  type SynthesizedPipeline,
  synthPipeline,
  writeConfigVariant,
} from './synth-pipeline.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON is untyped; the assertions check its shape.
type Json = any;

const ECR_IMAGE = '210987654321.dkr.ecr.eu-west-1.amazonaws.com/provers/sp1-prover:v5.2.1';

function jobDefinitions(synth: SynthesizedPipeline): Array<[string, Json]> {
  return Object.entries(synth.template.findResources('AWS::Batch::JobDefinition'));
}

/** The Docker image assets of the cloud assembly with their build arguments. */
function dockerAssets(synth: SynthesizedPipeline): Array<{ dockerBuildArgs?: Record<string, string> }> {
  const manifest = JSON.parse(
    readFileSync(join(synth.outdir, `${synth.stack.artifactId}.assets.json`), 'utf8'),
  ) as { dockerImages: Record<string, { source: { dockerBuildArgs?: Record<string, string> } }> };
  return Object.values(manifest.dockerImages).map((image) => image.source);
}

function noProverWarnings(synth: SynthesizedPipeline): unknown[] {
  return Annotations.fromStack(synth.stack).findWarning('*', Match.stringLikeRegexp('backend "sp1"'));
}

describe('Batch job definitions of config/aws-example.json', () => {
  let synth: SynthesizedPipeline;

  beforeAll(() => {
    // Prepare
    synth = synthPipeline('config/aws-example.json');
  });

  it('give the container ARTIFACT_BUCKET_NAME and the rollup config path the pipeline config names', () => {
    // Act
    const bucketId = synth.stack.getLogicalId(synth.stack.state.artifactBucket.node.defaultChild as never);
    const definitions = jobDefinitions(synth);
    // Assess
    expect(definitions).toHaveLength(2);
    for (const [, definition] of definitions) {
      const environment = definition.Properties.ContainerProperties.Environment as Array<{
        Name: string;
        Value: Json;
      }>;
      expect(environment).toEqual(
        expect.arrayContaining([
          { Name: 'ARTIFACT_BUCKET_NAME', Value: { Ref: bucketId } },
          { Name: 'ROLLUP_CONFIG_PATH', Value: '/app/config/rollup/example-mainnet.json' },
        ]),
      );
    }
  });

  it('build the job image requiring the configured prover command, copying only config/rollup', () => {
    const assets = dockerAssets(synth);
    expect(assets).toHaveLength(1);
    expect(assets[0]?.dockerBuildArgs).toEqual({ REQUIRED_PROVER_COMMANDS: 'sp1-prover' });
    const dockerfile = readFileSync(join(PROJECT_ROOT, 'batch-jobs/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY config/rollup ./config/rollup');
    expect(dockerfile).not.toContain('ROLLUP_CONFIG_PATH=/app/config/rollup/devnet.json');
    expect(dockerfile).toContain('COPY --from=prover /prover/ /opt/prover/');
  });

  it('warn on each sp1 stage when no prover image is given', () => {
    const warnings = noProverWarnings(synth);
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).toContain('-c proverImage=');
    expect(JSON.stringify(warnings)).toContain(NO_SP1_PROVER_IMAGE_WARNING);
  });
});

describe('Batch job images', () => {
  it('pass -c proverImage to the image build and do not warn', () => {
    // Act
    const synth = synthPipeline('config/aws-example.json', {
      context: { proverImage: 'registry.example/sp1-prover:v5' },
    });
    // Assess
    expect(dockerAssets(synth)[0]?.dockerBuildArgs).toEqual({
      PROVER_IMAGE: 'registry.example/sp1-prover:v5',
      REQUIRED_PROVER_COMMANDS: 'sp1-prover',
    });
    expect(noProverWarnings(synth)).toHaveLength(0);
  });

  it('pull a private ECR imageUri from its repository, granting the execution role pull rights', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      for (const stage of raw.stages) stage.executor.imageUri = ECR_IMAGE;
    });
    // Act
    const synth = synthPipeline(config);
    // Assess
    expect(dockerAssets(synth)).toHaveLength(0);
    expect(noProverWarnings(synth)).toHaveLength(0);
    for (const [, definition] of jobDefinitions(synth)) {
      expect(JSON.stringify(definition.Properties.ContainerProperties.Image)).toContain(
        '210987654321.dkr.ecr.eu-west-1.',
      );
      expect(JSON.stringify(definition.Properties.ContainerProperties.Image)).toContain(
        '/provers/sp1-prover:v5.2.1',
      );
    }
    synth.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ProvingClusterJobExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']),
            Resource: 'arn:aws:ecr:eu-west-1:210987654321:repository/provers/sp1-prover',
          }),
        ]),
      },
    });
  });

  it('pull any other registry as a public image, without an ECR grant', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      for (const stage of raw.stages) stage.executor.imageUri = 'ghcr.io/example/sp1-prover:v5';
    });
    // Act
    const synth = synthPipeline(config);
    // Assess
    for (const [, definition] of jobDefinitions(synth)) {
      expect(definition.Properties.ContainerProperties.Image).toBe('ghcr.io/example/sp1-prover:v5');
    }
    expect(JSON.stringify(synth.template.findResources('AWS::IAM::Policy'))).not.toContain(':repository/');
  });

  it('refuse a rollup config outside config/rollup/ when the job image is built', () => {
    // Prepare
    const config = writeConfigVariant('config/aws-example.json', (raw) => {
      raw.chains.l2.rollupConfigPath = join(import.meta.dirname, '../../config/aws-example.json');
    });
    // Act + Assess
    expect(() => synthPipeline(config)).toThrow(
      /rollupConfigPath resolves to .*expected a file under config\/rollup\//,
    );
  });
});
