import type { PipelineConfig } from '../../lambdas/core/config/schema.js';

/** Topics with a queue: the watcher's output, every stage's inputs and output, the proposer's input. */
export function pipelineTopics(config: PipelineConfig): string[] {
  const topics = new Set<string>([config.watcher.outputTopic]);
  for (const stage of config.stages) {
    for (const topic of stage.inputTopics) topics.add(topic);
    topics.add(stage.outputTopic);
  }
  topics.add(config.proposer.inputTopic);
  return [...topics];
}

/**
 * Names of the local AWS resources of a pipeline, as the CDK app would name them per pipeline:
 * one state table, one artifact bucket, a queue + DLQ per topic, a job queue + definition per stage.
 */
export function awsResourceNames(config: PipelineConfig): {
  stateTable: string;
  artifactBucket: string;
  queue(topic: string): string;
  deadLetterQueue(topic: string): string;
  jobQueue(stage: string): string;
  jobDefinition(stage: string): string;
} {
  return {
    stateTable: `${config.name}-state`,
    artifactBucket: `${config.name}-artifacts`,
    queue: (topic) => `${config.name}-${topic}`,
    deadLetterQueue: (topic) => `${config.name}-${topic}-dlq`,
    jobQueue: (stage) => `${config.name}-${stage}`,
    jobDefinition: (stage) => `${config.name}-${stage}`,
  };
}
