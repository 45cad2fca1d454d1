import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { assertEnvironmentFits, type EnvironmentValue } from '../deploy/lambda-environment.js';
import { LAMBDA_BUNDLE_SETTINGS } from './lambda-bundle-settings.js';

export interface PipelineFunctionProps {
  /** The handler module (exports `handler`), an absolute path. */
  readonly entry: string;
  /** Repository root: esbuild resolves modules and the lock file from here. */
  readonly projectRoot: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, EnvironmentValue>>;
  readonly timeout: Duration;
  /** Days the function's log group keeps its logs. */
  readonly logRetentionDays: number;
  /**
   * CPU architecture; the bundle is pure JavaScript, so arm64 (cheaper per GB-second) works.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Concurrent executions reserved (and capped) for the function.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
}

/** Node.js runtime of every function (Node 20 is past end of life; the code also runs on local Node 20). */
const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * A pipeline Lambda function: esbuild-bundled ESM for Node 22 (no Docker, `LAMBDA_BUNDLE_SETTINGS`),
 * its own log group with retention, and its own role that may only write that log group until
 * grants add more.
 */
export class PipelineFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly grantPrincipal: iam.IPrincipal;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  private readonly environment: Record<string, EnvironmentValue>;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const retention = retentionOf(props.logRetentionDays);
    if (retention === undefined) {
      throw new Error(
        `${this.node.path}: logRetentionDays got ${props.logRetentionDays}, expected one CloudWatch Logs accepts: ${Object.values(
          logs.RetentionDays,
        )
          .filter((days): days is number => typeof days === 'number' && days > 0 && days < 9999)
          .join(', ')}`,
      );
    }
    if (props.reservedConcurrentExecutions !== undefined && props.reservedConcurrentExecutions < 1) {
      throw new Error(
        `${this.node.path}: reservedConcurrentExecutions got ${props.reservedConcurrentExecutions}, expected ≥ 1`,
      );
    }
    assertEnvironmentFits(this.node.path, props.environment);
    this.environment = { ...props.environment };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    this.grantPrincipal = this.role;
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this function's group only.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Handler', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: FUNCTION_RUNTIME,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: Object.fromEntries(
        Object.entries(props.environment).map(([name, { value }]) => [name, value]),
      ),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE_SETTINGS.target,
        minify: LAMBDA_BUNDLE_SETTINGS.minify,
        sourceMap: LAMBDA_BUNDLE_SETTINGS.sourceMap,
        mainFields: [...LAMBDA_BUNDLE_SETTINGS.mainFields],
        externalModules: [...LAMBDA_BUNDLE_SETTINGS.externalModules],
        banner: LAMBDA_BUNDLE_SETTINGS.banner,
        esbuildArgs: {
          '--legal-comments': LAMBDA_BUNDLE_SETTINGS.legalComments,
          ...Object.fromEntries(
            Object.entries(LAMBDA_BUNDLE_SETTINGS.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
        },
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime this project targets and tests against (the code also runs on local Node 20); moving to Node 24 is a deliberate upgrade, not an automatic one.',
    });
  }

  /**
   * Adds an environment variable after construction (e.g. another function's name, known once
   * that function exists), checked against Lambda's 4 KB limit like the initial environment.
   * @throws Error when the variable is already set, or the environment would no longer fit.
   */
  addEnvironment(name: string, value: EnvironmentValue): void {
    if (name in this.environment) {
      throw new Error(`${this.node.path}: environment variable ${name} is already set`);
    }
    assertEnvironmentFits(this.node.path, { ...this.environment, [name]: value });
    this.environment[name] = value;
    this.function.addEnvironment(name, value.value);
  }
}

function retentionOf(days: number): logs.RetentionDays | undefined {
  return Object.values(logs.RetentionDays).find((value) => value === days) as logs.RetentionDays | undefined;
}
