import { deploymentPartOf } from '../../lambdas/core/config/config-file-layers.js';
import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { readConfigFile } from '../../lambdas/core/config/read-config-file.js';
import type { ExecutorConfig, PipelineConfig, ProvingStageConfig } from '../../lambdas/core/config/schema.js';
import { isProvingStage } from '../../lambdas/core/config/stage-schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { describeIssues } from '../../lambdas/core/schema/schema-issues.js';
import { crossCheckDeployment } from './deployment-checks.js';
import {
  type AwsDeploymentSettings,
  type DeploymentLayer,
  deploymentLayerSchema,
  type ExecutorDeployment,
  type MonitoringSettings,
  type ProverEndpointSettings,
} from './deployment-schema.js';
import { rollupConfigHash } from './rollup-config-hash.js';
import { scheduleMinutes } from './schedule-minutes.js';
import { type SsmParameterField, ssmParameterProblems } from './ssm-parameter-names.js';

/** A stage with its executor's deployment fields (instance types, image), as the CDK app builds it. */
export interface DeployedStage extends ProvingStageConfig {
  readonly executor: ExecutorConfig & ExecutorDeployment;
}

/** A pipeline config file validated for an AWS deployment, with the values the app derives at synth. */
export interface DeploymentConfig {
  /** The config file the app read. */
  readonly path: string;
  /** The runtime layer: what the functions and jobs read. */
  readonly config: PipelineConfig;
  readonly aws: AwsDeploymentSettings;
  readonly monitoring: MonitoringSettings;
  /** `config.stages` in order, each executor with its deployment fields. */
  readonly stages: readonly DeployedStage[];
  /** The runtime layer, serialised: what the functions receive as `PIPELINE_CONFIG_JSON`. */
  readonly runtimeConfigJson: string;
  /** `0x` + sha256 of the rollup config file (`ROLLUP_CONFIG_HASH`). */
  readonly rollupConfigHash: string;
  readonly watcherMinutes: number;
  readonly proposerMinutes: number;
  /** SSM SecureString parameter names holding the comma-separated RPC URLs. */
  readonly rpcUrlsParameters: { readonly l1: string; readonly l2: string };
  /**
   * SSM SecureString parameter names of the prover-only endpoints (`aws.proverEndpoints`), the jobs'
   * `L1_BEACON_RPC` / `L2_NODE_RPC`; undefined when the config has none (mock provers only).
   */
  readonly proverEndpointParameters: ProverEndpointSettings | undefined;
}

/** Backends that run a real prover, which needs the L1 beacon API and the L2 rollup-node RPC. */
const BACKENDS_NEEDING_PROVER_ENDPOINTS: ReadonlySet<string> = new Set(['sp1', 'binary']);

/**
 * Reads a pipeline config file: its runtime layer as the functions read it, then its deployment
 * layer (`aws`, `monitoring`, executor `instanceTypes` / `imageUri`) and what an AWS deployment
 * needs on top (an `aws` section, whole-minute schedules, RPC URLs in SSM, a KMS signer, jobs that
 * fit their instance types). The `local` section is the devnet's and is not read.
 * @throws ConfigError listing every problem as `path: got …, expected …`.
 */
export function loadDeploymentConfig(path: string): DeploymentConfig {
  const raw = readConfigFile(path);
  const config = parsePipelineConfig(raw, path);
  const { layer, problems } = parseDeploymentLayer(raw, config);
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
  const proverEndpoints = layer?.aws?.proverEndpoints;
  if (layer?.aws !== undefined) problems.push(...proverEndpointProblems(config, proverEndpoints));
  problems.push(...ssmParameterProblems(ssmParameterFields(l1, l2, proverEndpoints)));
  // Each condition below already added its problem line; the checks narrow the types.
  if (
    problems.length > 0 ||
    layer?.aws === undefined ||
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
    aws: layer.aws,
    monitoring: layer.monitoring,
    stages: deployedStages(config, layer),
    runtimeConfigJson: JSON.stringify(config),
    rollupConfigHash: rollupConfigHash(path, config.chains.l2.rollupConfigPath),
    watcherMinutes,
    proposerMinutes,
    rpcUrlsParameters: { l1, l2 },
    proverEndpointParameters: proverEndpoints,
  };
}

/** A real prover's stage without `aws.proverEndpoints`: its jobs would start without blobs or outputs. */
function proverEndpointProblems(
  config: PipelineConfig,
  proverEndpoints: ProverEndpointSettings | undefined,
): string[] {
  if (proverEndpoints !== undefined) return [];
  const stage = config.stages.findIndex(
    (s) => isProvingStage(s) && BACKENDS_NEEDING_PROVER_ENDPOINTS.has(s.executor.backend),
  );
  const found = config.stages[stage];
  if (found === undefined || !isProvingStage(found)) return [];
  return [
    `aws.proverEndpoints: got nothing, expected { "l1BeaconRpcParameter", "l2NodeRpcParameter" } (SSM parameters with the L1 beacon API and the L2 rollup-node RPC): stages[${stage}] runs backend "${found.executor.backend}", whose prover reads L1_BEACON_RPC and L2_NODE_RPC`,
  ];
}

/** Every SSM parameter the deployment imports, with the config field naming it. */
function ssmParameterFields(
  l1: string | undefined,
  l2: string | undefined,
  proverEndpoints: ProverEndpointSettings | undefined,
): SsmParameterField[] {
  const fields: Array<[string, string | undefined]> = [
    ['chains.l1.rpcUrlsParameter', l1],
    ['chains.l2.rpcUrlsParameter', l2],
    ['aws.proverEndpoints.l1BeaconRpcParameter', proverEndpoints?.l1BeaconRpcParameter],
    ['aws.proverEndpoints.l2NodeRpcParameter', proverEndpoints?.l2NodeRpcParameter],
  ];
  return fields.flatMap(([field, name]) => (name === undefined ? [] : [{ field, name }]));
}

/**
 * Validates the deployment layer of a config file's JSON against its (validated) runtime layer:
 * the layer's schema, strictly, then the deployment cross-checks. Returns the layer (`undefined`
 * when its schema failed) and every problem found, for the caller to add its own and report.
 */
export function parseDeploymentLayer(
  raw: unknown,
  config: PipelineConfig,
): { layer: DeploymentLayer | undefined; problems: string[] } {
  const part = deploymentPartOf(raw);
  const parsed = deploymentLayerSchema.safeParse(part);
  if (!parsed.success) return { layer: undefined, problems: describeIssues(parsed.error, part) };
  const layer = parsed.data;
  const problems: string[] = [];
  if (layer.aws === undefined) {
    problems.push('aws: got nothing, expected the aws section (maxVcpus, spot, …) for an AWS deployment');
  }
  const executors = deployedStages(config, layer).map((stage) => stage.executor);
  problems.push(...crossCheckDeployment(executors, layer.aws));
  return { layer, problems };
}

function deployedStages(config: PipelineConfig, layer: DeploymentLayer): DeployedStage[] {
  // Join stages have no executor: they are not deployed as Batch stages.
  return config.stages.flatMap((stage, i) =>
    isProvingStage(stage)
      ? [{ ...stage, executor: { ...stage.executor, ...layer.stages[i]?.executor } }]
      : [],
  );
}
