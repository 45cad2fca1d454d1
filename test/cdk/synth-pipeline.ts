import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createPipelineApp } from '../../cdk/create-pipeline-app.js';
import type { PipelineStack } from '../../cdk/pipeline-stack.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface SynthOptions {
  /** Bundle the functions with esbuild (slower; the real `cdk synth` path). @default false */
  readonly bundling?: boolean;
  /** Run CDK's built-in CloudFormation template validation (~9 s). @default false */
  readonly cfnValidation?: boolean;
  /** More context values (e.g. `proverImage`), as `-c key=value` gives them. @default none */
  readonly context?: Readonly<Record<string, string>>;
}

export interface SynthesizedPipeline {
  readonly app: App;
  readonly stack: PipelineStack;
  readonly template: Template;
  /** `validation-report.json` of the cloud assembly (cdk-nag findings left after acknowledgements). */
  readonly report: {
    pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; severity: string }> }>;
  };
  /** Every acknowledged rule id with its reason and where it was acknowledged. */
  readonly acknowledgements: Array<{ id: string; reason: string; path: string }>;
  /** The cloud assembly directory (asset manifests, template). */
  readonly outdir: string;
}

/**
 * Synthesizes the app for a config the way the CLI does (cdk.json and cdk.context.json context,
 * cdk-nag plugin on), into a temporary directory. Synth throws if any nag error is left unacknowledged.
 */
export function synthPipeline(configPath: string, options: SynthOptions = {}): SynthesizedPipeline {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const cdkContext = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.context.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const context: Record<string, unknown> = {
    ...cdkJson.context,
    ...cdkContext,
    config: configPath,
    ...options.context,
  };
  if (options.bundling !== true) context['aws:cdk:bundling-stacks'] = [];
  const { app, stack } = createPipelineApp({
    projectRoot: PROJECT_ROOT,
    appProps: { context, outdir, builtinCloudFormationValidation: options.cfnValidation ?? false },
  });
  const assembly = app.synth();
  const template = Template.fromJSON(
    assembly.getStackByName(stack.stackName).template as Record<string, unknown>,
  );
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return { app, stack, template, report, acknowledgements: collectAcknowledgements(app), outdir };
}

function collectAcknowledgements(root: IConstruct): Array<{ id: string; reason: string; path: string }> {
  const found: Array<{ id: string; reason: string; path: string }> = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ id, reason, path: construct.node.path });
      }
    }
  }
  return found;
}

/** Logical ids of the resources of `type` whose properties match `predicate`. */
export function logicalIds(
  template: Template,
  type: string,
  predicate: (properties: Record<string, unknown>) => boolean = () => true,
): string[] {
  return Object.entries(template.findResources(type))
    .filter(([, resource]) =>
      predicate((resource as { Properties?: Record<string, unknown> }).Properties ?? {}),
    )
    .map(([id]) => id);
}

/**
 * Writes a variant of a committed config to a temporary file (its `rollupConfigPath` made absolute,
 * so it still names the committed rollup config) and returns the file's path.
 */
export function writeConfigVariant(
  baseConfig: string,
  // biome-ignore lint/suspicious/noExplicitAny: raw config JSON, edited freely by each test
  change: (raw: Record<string, any>) => void,
): string {
  const basePath = join(PROJECT_ROOT, baseConfig);
  const raw = JSON.parse(readFileSync(basePath, 'utf8'));
  raw.chains.l2.rollupConfigPath = resolve(dirname(basePath), raw.chains.l2.rollupConfigPath);
  change(raw);
  const path = join(mkdtempSync(join(tmpdir(), 'cdk-config-')), 'pipeline.json');
  writeFileSync(path, JSON.stringify(raw));
  return path;
}

/**
 * config/aws-example.json deployed on Spot with the on-demand fallback over 256 vCPUs (four
 * compute environments of 64: two stages, Spot and on-demand each), for the tests of the Spot
 * capacity layout; the committed example itself runs on-demand.
 */
export function spotExampleConfig(): string {
  return writeConfigVariant('config/aws-example.json', (raw) => {
    raw.aws.spot = true;
    raw.aws.onDemandFallback = true;
    raw.aws.maxVcpus = 256;
  });
}
