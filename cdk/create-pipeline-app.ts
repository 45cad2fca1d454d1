import { resolve } from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeploymentConfig } from './deploy/deployment-config.js';
import { PipelineStack } from './pipeline-stack.js';

/** Account and region used when neither context nor the CLI's credentials name one (offline synth). */
const OFFLINE_ACCOUNT = '123456789012';
const OFFLINE_REGION = 'us-east-1';
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
 * validated as the runtime validates it, then one stack named after the pipeline. Account and
 * region: context `account` / `region`, else the CLI's (`CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`),
 * else 123456789012 / us-east-1 so `cdk synth` works offline (`config.aws.region` wins for the region).
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
    env: {
      account: context('account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? OFFLINE_ACCOUNT,
      region: deployment.aws.region ?? context('region') ?? process.env.CDK_DEFAULT_REGION ?? OFFLINE_REGION,
    },
  });
  if (options.nag ?? context('nag') !== 'false') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
