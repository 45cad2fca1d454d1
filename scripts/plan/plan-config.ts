import {
  environmentsPerStage,
  maxVcpusPerEnvironment,
} from '../../cdk/deploy/compute-environment-settings.js';
import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';

/** What the planner changes in a config file before the pipeline's own parser validates it. */
export interface ConfigOverrides {
  /** Blocks per range group (`collector.groupSize` of the stage reading the watcher's topic, without its `maxGasPerRange`). */
  readonly rangeSize?: number;
  /** Seconds between scheduled proposer runs. */
  readonly proposerEverySeconds?: number;
  /** A range job's executor timeout in seconds. */
  readonly rangeTimeoutSeconds?: number;
}

interface RawStage {
  inputTopics: string[];
  collector: Record<string, unknown>;
  executor: Record<string, unknown>;
}

interface RawConfig {
  watcher: { outputTopic?: string };
  stages: RawStage[];
  proposer: { schedule: { everySeconds: number } };
  aws?: { maxVcpus?: number; spot?: boolean; onDemandFallback?: boolean };
}

/** The planner's view of a config file: the parsed runtime config and the deployment facts it needs. */
export interface PlanConfig {
  readonly runtime: PipelineConfig;
  /**
   * The range stage's GPU cap as the stack deploys it: `aws.maxVcpus` is split equally over every
   * Batch stage's compute environments (Spot and on-demand each), and the range jobs may fill both of
   * their stage's, so the cap is the range stage's environments' vCPUs / the range job's vCPUs.
   */
  readonly gpuCap: number;
  /** Of `gpuCap`, the instances its Spot environment holds (the rest start on-demand, Batch's next environment). */
  readonly spotGpuCap: number;
  /** The first instance type of the range stage (its price is the planner's). */
  readonly instanceType: string;
  readonly spot: boolean;
  /** The range collector's `groupSize`: the most blocks in a range. */
  readonly rangeSize: number;
  /** The range collector's `maxGasPerRange`, if it cuts ranges by gas too. */
  readonly maxGasPerRange?: number;
}

/**
 * Applies `overrides` to a whole config file's JSON and validates the result with
 * `parsePipelineConfig`, so a range size or schedule the pipeline would refuse is refused here too.
 * @throws ConfigError naming the field when the file has no range stage or the result does not validate.
 */
export function planConfig(raw: unknown, source: string, overrides: ConfigOverrides = {}): PlanConfig {
  const copy = structuredClone(raw) as RawConfig;
  const topic = copy.watcher.outputTopic ?? 'blocks';
  const index = copy.stages.findIndex((s) => s.inputTopics.includes(topic));
  const stage = copy.stages[index];
  if (stage === undefined)
    throw new ConfigError(source, [`stages: got no stage reading "${topic}", expected a range stage`]);
  if (overrides.rangeSize !== undefined) {
    stage.collector.groupSize = overrides.rangeSize;
    // The size asked for is the range's whole rule: the config's gas limit would cut it otherwise.
    delete stage.collector.maxGasPerRange;
  }
  if (overrides.rangeTimeoutSeconds !== undefined)
    stage.executor.timeoutSeconds = overrides.rangeTimeoutSeconds;
  if (overrides.proposerEverySeconds !== undefined)
    copy.proposer.schedule.everySeconds = overrides.proposerEverySeconds;
  const runtime = parsePipelineConfig(copy, source);
  const collector = runtime.stages[index]?.collector;
  const rangeSize = collector?.strategy === 'sequential' ? collector.groupSize : undefined;
  if (rangeSize === undefined)
    throw new ConfigError(source, [
      `stages[${index}].collector.groupSize: got none, expected blocks per range`,
    ]);
  const instanceTypes = stage.executor.instanceTypes as string[] | undefined;
  return {
    runtime,
    ...rangeGpuCaps(copy, stage, source),
    instanceType: instanceTypes?.[0] ?? 'g6.4xlarge',
    spot: copy.aws?.spot ?? false,
    rangeSize,
    ...(collector?.strategy === 'sequential' && collector.maxGasPerRange !== undefined
      ? { maxGasPerRange: Number(collector.maxGasPerRange) }
      : {}),
  };
}

/**
 * The range stage's GPU caps with the stack's split of `aws.maxVcpus` (`maxVcpusPerEnvironment`
 * over `environmentsPerStage` × Batch stages): Spot first, then on-demand (Batch's queue order).
 * @throws ConfigError when the range stage's share holds no job of its vCPUs.
 */
function rangeGpuCaps(
  copy: RawConfig,
  stage: RawStage,
  source: string,
): { gpuCap: number; spotGpuCap: number } {
  const vcpus = (stage.executor.resources as { vcpus?: number } | undefined)?.vcpus ?? 1;
  const spot = copy.aws?.spot ?? false;
  const onDemand = !spot || (copy.aws?.onDemandFallback ?? true);
  const perStage = environmentsPerStage({ spot, onDemand });
  const batchStages = Math.max(1, copy.stages.filter((s) => s.executor.runner === 'batch').length);
  const share = maxVcpusPerEnvironment(
    copy.aws?.maxVcpus ?? vcpus * batchStages * perStage,
    batchStages * perStage,
  );
  const perEnvironment = Math.floor(share / vcpus);
  if (perEnvironment < 1)
    throw new ConfigError(source, [
      `aws.maxVcpus: got ${copy.aws?.maxVcpus}, expected at least ${vcpus * batchStages * perStage}: each of the ${batchStages * perStage} compute environments must hold one ${vcpus}-vCPU range job`,
    ]);
  return { gpuCap: perEnvironment * perStage, spotGpuCap: spot ? perEnvironment : 0 };
}
