import { BatchClient, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { pipelineResourceNames } from '../../lambdas/core/config/pipeline-resource-names.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';

/**
 * The stages of a deployed stack that have an on-demand-only job queue (`<name>-<stage>-on-demand`,
 * `pipelineResourceNames`), asked of Batch in one DescribeJobQueues: the CDK app creates it only
 * when the deployment has an on-demand compute environment (a deployment layer the CLI does not
 * read), and a retry after an infrastructure failure must go there as the functions' would.
 * Needs `batch:DescribeJobQueues`.
 */
export async function stagesWithOnDemandJobQueue(config: PipelineConfig): Promise<Set<string>> {
  const names = pipelineResourceNames(config.name);
  const byQueue = new Map(config.stages.map((stage) => [names.onDemandJobQueue(stage.name), stage.name]));
  const batch = new BatchClient({});
  try {
    const answer = await batch.send(new DescribeJobQueuesCommand({ jobQueues: [...byQueue.keys()] }));
    const stages = (answer?.jobQueues ?? [])
      .filter((queue) => queue.state === 'ENABLED')
      .map((queue) => byQueue.get(queue.jobQueueName ?? ''))
      .filter((stage): stage is string => stage !== undefined);
    return new Set(stages);
  } finally {
    batch.destroy();
  }
}
