import { resolve } from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeploymentConfig } from './deploy/deployment-config.js';
import { stackEnvironment } from './deploy/stack-environment.js';
import { PipelineStack } from './pipeline-stack.js';

const DEFAULT_CONFIG_PATH = 'config/aws-example.json';

export interface PipelineAppOptions {
  /** Repository root; relative config paths resolve against it. */
  readonly projectRoot: string;
  /** App props (context, outdir); the CLI passes context through the environment instead. */
  readonly appProps?: AppProps;
  /** Run the cdk-nag AwsSolutions checks at synth. @default true unless context `nag` is "false" */
  readonly nag?: boolean;
}

/**
 * Builds the CDK app: the config file from context `config` (default `config/aws-example.json`),
 * the prover image for the job image from context `proverImage`,
 * validated as the runtime validates it, then one stack named after the pipeline, in the account
 * and region `stackEnvironment` picks (an explicit `-c region` wins over the config's `aws.region`).
 */
export function createPipelineApp(options: PipelineAppOptions): { app: App; stack: PipelineStack } {
  const app = new App(options.appProps);
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const configPath = resolve(options.projectRoot, context('config') ?? DEFAULT_CONFIG_PATH);
  const deployment = loadDeploymentConfig(configPath);
  const proverImage = context('proverImage');
  const stack = new PipelineStack(app, deployment.config.name, {
    deployment,
    ...(proverImage === undefined ? {} : { proverImage }),
    projectRoot: options.projectRoot,
    description: `ZK proving pipeline "${deployment.config.name}" for an OP-stack rollup (${configPath.slice(options.projectRoot.length + 1)})`,
    env: stackEnvironment({
      contextAccount: context('account'),
      contextRegion: context('region'),
      configRegion: deployment.aws.region,
      cliAccount: process.env.CDK_DEFAULT_ACCOUNT,
      cliRegion: process.env.CDK_DEFAULT_REGION,
    }),
  });
  if (options.nag ?? context('nag') !== 'false') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
