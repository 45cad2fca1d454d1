import {
  type PipelineResourceNames,
  pipelineResourceNames,
  pipelineTopics as topicsWithQueues,
} from '../../lambdas/core/config/pipeline-resource-names.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';

/** Topics with a queue: the watcher's output, every stage's inputs and output, the proposer's input. */
export function pipelineTopics(config: PipelineConfig): string[] {
  return topicsWithQueues(config);
}

/**
 * Names of the local AWS resources of a pipeline, as the CDK app names them per pipeline
 * (`lambdas/core/config/pipeline-resource-names.ts`): one state table, one artifact bucket, a
 * queue + DLQ per topic, a job queue + definition per stage.
 */
export function awsResourceNames(config: PipelineConfig): PipelineResourceNames {
  return pipelineResourceNames(config.name);
}
