import type { PipelineConfig, ProvingStageConfig, StageConfig } from '../../config/schema.js';
import { isJoinStage } from '../../config/stage-schema.js';
import { PipelineError } from '../../errors.js';

/** The stages that read `topic`, in config order. */
export function stagesConsuming(config: PipelineConfig, topic: string): StageConfig[] {
  return config.stages.filter((stage) => stage.inputTopics.includes(topic));
}

/** @throws PipelineError when the config has no stage of that name (an event from another pipeline). */
export function stageNamed(config: PipelineConfig, name: string): StageConfig {
  const stage = config.stages.find((s) => s.name === name);
  if (stage === undefined) {
    throw new PipelineError(
      `unknown stage "${name}"; this pipeline has: ${config.stages.map((s) => s.name).join(', ')}`,
    );
  }
  return stage;
}

/**
 * The proving stage of that name: the stage of a job, a job event or a checkpoint wait.
 * @throws PipelineError when there is none, or when it is a join stage (a join runs no jobs).
 */
export function provingStageNamed(config: PipelineConfig, name: string): ProvingStageConfig {
  const stage = stageNamed(config, name);
  if (isJoinStage(stage)) {
    throw new PipelineError(
      `stage "${name}" is a join stage: it runs no jobs, so a job, job event or checkpoint of it cannot be`,
    );
  }
  return stage;
}

/** The stage whose output `topic` is (its producer), if any. */
export function producingStage(config: PipelineConfig, topic: string): StageConfig | undefined {
  return config.stages.find((stage) => stage.outputTopic === topic);
}

/**
 * The blocks a group of a block-keyed Sequential stage holds at most (the smaller of `groupSize`
 * and `minSpan`), or undefined when the stage has none: range keys, or a gas-only cut.
 */
export function blockBoundOf(stage: StageConfig): number | undefined {
  const rule = stage.collector;
  if (rule.strategy !== 'sequential' || rule.keyKind !== 'block') return undefined;
  const bound = Math.min(
    rule.groupSize ?? Number.POSITIVE_INFINITY,
    rule.minSpan ?? Number.POSITIVE_INFINITY,
  );
  return Number.isFinite(bound) ? bound : undefined;
}
