import { resolve } from 'node:path';
import { HANDLER_ENV } from '../../lambdas/core/config/environment-names.js';
import { loadPipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { OpsError } from '../output/ops-error.js';
import { stagesWithOnDemandJobQueue } from './on-demand-job-queues.js';
import { handlerEnvironmentOf, type OpsTarget } from './ops-target.js';

/**
 * A deployed stack of the pipeline config `configPath`, reached with the standard AWS credentials and
 * region. Queues and Batch targets (each stage's on-demand-only job queue too, where Batch has it)
 * are found by the names the CDK app gives them; the state table
 * and the bucket are named by CloudFormation, so they come from `--table` / `--bucket` or the
 * handlers' own variables (`STATE_TABLE_NAME`, `ARTIFACT_BUCKET_NAME`; a deployed function's
 * configuration shows both).
 * @throws OpsError naming the missing table or bucket name.
 */
export async function awsTarget(options: {
  readonly configPath: string;
  readonly stateTable?: string | undefined;
  readonly artifactBucket?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}): Promise<OpsTarget> {
  const configPath = resolve(options.configPath);
  const config = loadPipelineConfig(configPath);
  const stateTable = options.stateTable ?? options.env[HANDLER_ENV.stateTableName];
  const artifactBucket = options.artifactBucket ?? options.env[HANDLER_ENV.artifactBucketName];
  const missing = [
    stateTable === undefined ? `--table (or ${HANDLER_ENV.stateTableName})` : undefined,
    artifactBucket === undefined ? `--bucket (or ${HANDLER_ENV.artifactBucketName})` : undefined,
  ].filter((part) => part !== undefined);
  if (stateTable === undefined || artifactBucket === undefined)
    throw new OpsError(
      `a deployed stack needs ${missing.join(' and ')}: CloudFormation names them; copy them from the dispatcher function's environment`,
    );
  const environment = await handlerEnvironmentOf({
    config,
    configPath,
    configVariable: { name: HANDLER_ENV.configJson, value: JSON.stringify(config) },
    stateTable,
    artifactBucket,
    onDemandStages: await stagesWithOnDemandJobQueue(config),
  });
  return { description: `AWS stack of ${configPath}`, config, ...environment };
}
