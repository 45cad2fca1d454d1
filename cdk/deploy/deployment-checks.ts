import type { ExecutorConfig } from '../../lambdas/core/config/schema.js';
import { environmentsPerStage, maxVcpusPerEnvironment } from './compute-environment-settings.js';
import type { AwsDeploymentSettings, ExecutorDeployment } from './deployment-schema.js';
import { DEFAULT_SP1_INSTANCE_TYPES, jobFitRefusal, sp1InstanceRefusal } from './gpu-instances.js';

/** A stage's runtime executor with its deployment fields. */
type DeployedExecutor = ExecutorConfig & ExecutorDeployment;

/**
 * Deployment checks that need more than one field: SP1 stages on GPU types SP1 can use, each job
 * fitting every instance type its compute environments may launch, and jobs within their compute
 * environment's share of `aws.maxVcpus` (the total across all of them), and a hedged stage with
 * on-demand capacity for its hedges. Returns one line per problem, naming the path in the config file.
 */
export function crossCheckDeployment(
  executors: readonly DeployedExecutor[],
  aws: AwsDeploymentSettings | undefined,
): string[] {
  const environments =
    aws === undefined
      ? 0
      : executors.filter((executor) => executor.runner === 'batch').length *
        environmentsPerStage({ spot: aws.spot, onDemand: !aws.spot || aws.onDemandFallback });
  const share = aws === undefined ? 0 : maxVcpusPerEnvironment(aws.maxVcpus, environments);
  return executors.flatMap((executor, i) => {
    const path = `stages[${i}].executor`;
    const problems: string[] = [];
    if (executor.backend === 'sp1') {
      (executor.instanceTypes ?? []).forEach((type, j) => {
        const refusal = sp1InstanceRefusal(type);
        if (refusal !== undefined) problems.push(`${path}.instanceTypes[${j}]: got "${type}": ${refusal}`);
      });
    }
    problems.push(...checkJobFits(executor, path));
    const hedgeRefusal = hedgeQueueRefusal(executor, aws);
    if (hedgeRefusal !== undefined) problems.push(`${path}.hedge: ${hedgeRefusal}`);
    if (executor.runner === 'batch' && aws !== undefined && executor.resources.vcpus > share) {
      problems.push(
        `${path}.resources.vcpus: got ${executor.resources.vcpus}, expected ≤ ${share}, the share of each of the ${environments} compute environments in aws.maxVcpus ${aws.maxVcpus} (the total across them)`,
      );
    }
    return problems;
  });
}

/**
 * A hedge runs on on-demand capacity (`hedge.queue` "on-demand"): the stage's on-demand-only queue
 * when it has Spot and on-demand environments, its only queue when it has no Spot (all on-demand).
 * With Spot and `onDemandFallback` false the stack builds no on-demand environment, and the hedge
 * would go to the Spot queue, the same capacity pool whose straggler it races.
 */
function hedgeQueueRefusal(
  executor: DeployedExecutor,
  aws: AwsDeploymentSettings | undefined,
): string | undefined {
  if (executor.hedge === undefined || executor.runner !== 'batch' || aws === undefined) return undefined;
  if (!aws.spot || aws.onDemandFallback) return undefined;
  return `got a hedge on queue "${executor.hedge.queue}" with aws.spot true and aws.onDemandFallback false, expected an on-demand environment for it: set aws.onDemandFallback true (the stack then builds the stage's on-demand-only queue) or drop the hedge`;
}

/**
 * Each Batch job must fit one instance of every type its compute environments may launch (the listed
 * types, or the SP1 defaults for GPU jobs): Batch never places a job that fits none, and a type that
 * fits no job only wastes a Spot pool. Types without known facts are not checked.
 */
function checkJobFits(executor: DeployedExecutor, path: string): string[] {
  const listed = executor.instanceTypes;
  const types = listed ?? (executor.resources.gpus > 0 ? DEFAULT_SP1_INSTANCE_TYPES : []);
  const problems: string[] = [];
  types.forEach((type, j) => {
    const refusal = jobFitRefusal(type, executor.resources);
    if (refusal === undefined) return;
    problems.push(
      listed === undefined
        ? `${path}.resources: got ${describeResources(executor.resources)}, expected a job every default instance type can run: ${refusal}; list instanceTypes that fit`
        : `${path}.instanceTypes[${j}]: got "${type}" for ${describeResources(executor.resources)}, expected a type the job fits: ${refusal}`,
    );
  });
  return problems;
}

function describeResources(resources: { vcpus: number; memoryMiB: number; gpus: number }): string {
  return `${resources.vcpus} vCPUs / ${resources.memoryMiB} MiB / ${resources.gpus} GPU${resources.gpus === 1 ? '' : 's'}`;
}
