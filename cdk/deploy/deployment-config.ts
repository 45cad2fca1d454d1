import { readFileSync } from 'node:fs';
import { loadPipelineConfig, parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { rollupConfigHash } from './rollup-config-hash.js';
import { scheduleMinutes } from './schedule-minutes.js';

/** The `aws` section after defaults (the app refuses a config without it). */
export type AwsDeploymentSettings = NonNullable<PipelineConfig['aws']>;

/** A pipeline config validated for an AWS deployment, with the values the app derives at synth. */
export interface DeploymentConfig {
  /** The config file the app read. */
  readonly path: string;
  readonly config: PipelineConfig;
  readonly aws: AwsDeploymentSettings;
  /** The minified config the functions receive as `PIPELINE_CONFIG_JSON` (deploy-only fields left out). */
  readonly runtimeConfigJson: string;
  /** `0x` + sha256 of the rollup config file (`ROLLUP_CONFIG_HASH`). */
  readonly rollupConfigHash: string;
  readonly watcherMinutes: number;
  readonly proposerMinutes: number;
  /** SSM SecureString parameter names holding the comma-separated RPC URLs. */
  readonly rpcUrlsParameters: { readonly l1: string; readonly l2: string };
}

/**
 * Fields only the CDK app reads: the functions never do, and Lambda's 4 KB environment limit makes
 * every byte count. The copy without them still passes `parsePipelineConfig`.
 */
const DEPLOY_ONLY_EXECUTOR_FIELDS = ['instanceTypes', 'imageUri'] as const;
const DEPLOY_ONLY_TOP_LEVEL_FIELDS = ['aws', 'local'] as const;

/**
 * Reads a pipeline config file, validates it as the runtime does, then checks what an AWS
 * deployment needs on top (an `aws` section, whole-minute schedules, RPC URLs in SSM, a KMS signer,
 * Batch executors).
 * @throws ConfigError listing every problem as `path: got …, expected …`.
 */
export function loadDeploymentConfig(path: string): DeploymentConfig {
  const config = loadPipelineConfig(path);
  const problems: string[] = [];
  if (config.aws === undefined) {
    problems.push('aws: got nothing, expected the aws section (maxVcpus, spot, …) for an AWS deployment');
  }
  const watcherMinutes = scheduleMinutes(
    config.watcher.schedule.everySeconds,
    'watcher.schedule.everySeconds',
  );
  const proposerMinutes = scheduleMinutes(
    config.proposer.schedule.everySeconds,
    'proposer.schedule.everySeconds',
  );
  if (typeof watcherMinutes === 'string') problems.push(watcherMinutes);
  if (typeof proposerMinutes === 'string') problems.push(proposerMinutes);
  for (const chain of ['l1', 'l2'] as const) {
    if (config.chains[chain].rpcUrlsParameter === undefined) {
      problems.push(
        `chains.${chain}.rpcUrlsParameter: got nothing (rpcUrls listed inline), expected an SSM SecureString parameter name: RPC URLs must not appear in the template`,
      );
    }
  }
  if (config.proposer.signer.kind !== 'kms') {
    problems.push(`proposer.signer.kind: got "${config.proposer.signer.kind}", expected "kms" on AWS`);
  }
  const l1 = config.chains.l1.rpcUrlsParameter;
  const l2 = config.chains.l2.rpcUrlsParameter;
  // Each condition below already added its problem line; the checks narrow the types.
  if (
    problems.length > 0 ||
    config.aws === undefined ||
    typeof watcherMinutes === 'string' ||
    typeof proposerMinutes === 'string' ||
    l1 === undefined ||
    l2 === undefined
  ) {
    throw new ConfigError(path, problems);
  }
  return {
    path,
    config,
    aws: config.aws,
    runtimeConfigJson: runtimeConfigJson(path),
    rollupConfigHash: rollupConfigHash(path, config.chains.l2.rollupConfigPath),
    watcherMinutes,
    proposerMinutes,
    rpcUrlsParameters: { l1, l2 },
  };
}

/** The config file minified, without the deploy-only fields; re-validated so the functions accept it. */
function runtimeConfigJson(path: string): string {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const field of DEPLOY_ONLY_TOP_LEVEL_FIELDS) delete raw[field];
  const stages = Array.isArray(raw.stages)
    ? (raw.stages as Array<{ executor?: Record<string, unknown> }>)
    : [];
  for (const stage of stages) {
    for (const field of DEPLOY_ONLY_EXECUTOR_FIELDS) delete stage.executor?.[field];
  }
  parsePipelineConfig(raw, `${path} (runtime copy)`);
  return JSON.stringify(raw);
}
