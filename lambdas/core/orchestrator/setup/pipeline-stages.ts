import type { PipelineConfig, StageConfig } from '../../config/schema.js';
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
