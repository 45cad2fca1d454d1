import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readDevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { applyLocalAwsEnvironment } from '../../devnet/runtime/local-aws-environment.js';
import { HANDLER_ENV } from '../../lambdas/core/config/environment-names.js';
import { loadPipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';
import { OpsError } from '../output/ops-error.js';
import { handlerEnvironmentOf, type OpsTarget } from './ops-target.js';

/**
 * The local run of `npm start` in `stateDirectory`: the manifest says where the stand-ins listen
 * (`aws`), `pipeline.json` is the config the handlers read. Sets the SDK endpoint variables and
 * the local dummy credentials on `process.env`, as the local runtime does for the handlers.
 * @throws OpsError when the folder holds no manifest, or the run's stand-ins are not up.
 */
export async function localTarget(stateDirectory: string): Promise<OpsTarget> {
  const directory = resolve(stateDirectory);
  const manifestPath = join(directory, 'manifest.json');
  const configPath = join(directory, 'pipeline.json');
  const manifest = readDevnetManifest(manifestPath);
  if (manifest === undefined || !existsSync(configPath))
    throw new OpsError(
      `no local run in ${directory} (${manifest === undefined ? manifestPath : configPath} is missing): start one with \`npm start\`, pass --state-dir DIR, or --config FILE for a deployed stack`,
    );
  if (manifest.aws === undefined)
    throw new OpsError(
      `${manifestPath} has no stand-in endpoints (aws): the pipeline of this run is not up; start it with \`npm start\``,
    );
  applyLocalAwsEnvironment();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: manifest.aws.dynamodb,
    AWS_ENDPOINT_URL_S3: manifest.aws.s3,
    AWS_ENDPOINT_URL_SQS: manifest.aws.sqs,
    AWS_ENDPOINT_URL_BATCH: manifest.aws.batch,
  });
  const config = loadPipelineConfig(configPath);
  const names = pipelineResourceNames(config.name);
  const environment = await handlerEnvironmentOf({
    config,
    configPath,
    configVariable: { name: HANDLER_ENV.configPath, value: configPath },
    stateTable: names.stateTable,
    artifactBucket: names.artifactBucket,
  }).catch((error: unknown) => {
    throw new OpsError(
      `the local run in ${directory} does not answer (${(error as Error).message}): is \`npm start\` still running?`,
      { cause: error },
    );
  });
  return { description: `local run in ${directory}`, config, ...environment, proposer: manifest.proposer };
}
