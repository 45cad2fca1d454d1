import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';

/** What the planner changes in a config file before the pipeline's own parser validates it. */
export interface ConfigOverrides {
  /** Blocks per range group (`collector.groupSize` of the stage reading the watcher's topic). */
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
  aws?: { maxVcpus?: number; spot?: boolean };
}

/** The planner's view of a config file: the parsed runtime config and the deployment facts it needs. */
export interface PlanConfig {
  readonly runtime: PipelineConfig;
  /** The GPU cap the compute environment allows: `aws.maxVcpus` / the range job's vCPUs. */
  readonly gpuCap: number;
  /** The first instance type of the range stage (its price is the planner's). */
  readonly instanceType: string;
  readonly spot: boolean;
  readonly rangeSize: number;
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
  if (overrides.rangeSize !== undefined) stage.collector.groupSize = overrides.rangeSize;
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
  const resources = stage.executor.resources as { vcpus?: number } | undefined;
  const vcpus = resources?.vcpus ?? 1;
  const instanceTypes = stage.executor.instanceTypes as string[] | undefined;
  return {
    runtime,
    gpuCap: Math.max(1, Math.floor((copy.aws?.maxVcpus ?? vcpus) / vcpus)),
    instanceType: instanceTypes?.[0] ?? 'g6.4xlarge',
    spot: copy.aws?.spot ?? false,
    rangeSize,
  };
}
