import type { PipelineConfig } from './schema.js';

/**
 * Physical names of a pipeline's AWS resources, shared by the CDK app and the local AWS devnet so
 * both name them alike: a queue and a dead-letter queue per topic, a job queue and a job definition
 * per stage, and (locally only: CloudFormation generates them on AWS) the state table and bucket.
 */
export interface PipelineResourceNames {
  /** `<name>-state` (local AWS only). */
  readonly stateTable: string;
  /** `<name>-artifacts` (local AWS only). */
  readonly artifactBucket: string;
  /** `<name>-<topic>`. */
  queue(topic: string): string;
  /** `<name>-<topic>-dlq`. */
  deadLetterQueue(topic: string): string;
  /** `<name>-<stage>`. */
  jobQueue(stage: string): string;
  /**
   * `<name>-<stage>-on-demand`: the stage's on-demand-only job queue (created when the deployment
   * has an on-demand compute environment), where a retry after an infrastructure failure goes.
   */
  onDemandJobQueue(stage: string): string;
  /** `<name>-<stage>`. */
  jobDefinition(stage: string): string;
}

/** Suffix of a topic's dead-letter queue name. */
export const DEAD_LETTER_QUEUE_SUFFIX = '-dlq';

/** Suffix of a stage's on-demand-only job queue name. */
export const ON_DEMAND_JOB_QUEUE_SUFFIX = '-on-demand';

/** The resource names of the pipeline called `pipelineName` (`config.name`). */
export function pipelineResourceNames(pipelineName: string): PipelineResourceNames {
  return {
    stateTable: `${pipelineName}-state`,
    artifactBucket: `${pipelineName}-artifacts`,
    queue: (topic) => `${pipelineName}-${topic}`,
    deadLetterQueue: (topic) => `${pipelineName}-${topic}${DEAD_LETTER_QUEUE_SUFFIX}`,
    jobQueue: (stage) => `${pipelineName}-${stage}`,
    onDemandJobQueue: (stage) => `${pipelineName}-${stage}${ON_DEMAND_JOB_QUEUE_SUFFIX}`,
    jobDefinition: (stage) => `${pipelineName}-${stage}`,
  };
}

/**
 * The topics that get a queue, each once, in a stable order: the watcher's output, then each
 * stage's output, then any consumed topic no one produces (a valid config has none).
 */
export function pipelineTopics(config: Pick<PipelineConfig, 'watcher' | 'stages' | 'proposer'>): string[] {
  const topics = new Set<string>([config.watcher.outputTopic]);
  for (const stage of config.stages) topics.add(stage.outputTopic);
  for (const stage of config.stages) for (const topic of stage.inputTopics) topics.add(topic);
  topics.add(config.proposer.inputTopic);
  return [...topics];
}
