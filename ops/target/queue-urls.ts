import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineResourceNames, pipelineTopics } from '../../lambdas/core/config/pipeline-resource-names.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { OpsError } from '../output/ops-error.js';

/** The queue and dead-letter queue URL of every topic of the pipeline. */
export interface PipelineQueueUrls {
  readonly queues: Record<string, string>;
  readonly deadLetterQueues: Record<string, string>;
}

/**
 * Looks up the queue and DLQ of every topic by the names the CDK app and the devnet give them
 * (`pipelineResourceNames`), with GetQueueUrl.
 * @throws OpsError naming the queue that does not exist.
 */
export async function pipelineQueueUrls(sqs: SQSClient, config: PipelineConfig): Promise<PipelineQueueUrls> {
  const names = pipelineResourceNames(config.name);
  const urlOf = async (name: string): Promise<string> => {
    try {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (QueueUrl === undefined) throw new Error('no QueueUrl in the answer');
      return QueueUrl;
    } catch (error) {
      throw new OpsError(
        `queue ${name} not found (${(error as Error).message}): is the pipeline "${config.name}" running or deployed in this region?`,
        { cause: error },
      );
    }
  };
  const queues: Record<string, string> = {};
  const deadLetterQueues: Record<string, string> = {};
  for (const topic of pipelineTopics(config)) {
    queues[topic] = await urlOf(names.queue(topic));
    deadLetterQueues[topic] = await urlOf(names.deadLetterQueue(topic));
  }
  return { queues, deadLetterQueues };
}
