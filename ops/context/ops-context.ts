import { SQSClient } from '@aws-sdk/client-sqs';
import type { OrchestratorDeps } from '../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { buildRuntime, type Runtime } from '../../lambdas/handlers/composition-root.js';
import type { OpsTarget } from '../target/ops-target.js';
import { droppedMetrics, stderrLogger } from './cli-telemetry.js';

/** What every command works with: the handlers' runtime over the target, and who acts. */
export interface OpsContext {
  readonly target: OpsTarget;
  readonly runtime: Runtime;
  /** The orchestrator's dependencies (state store, bus, blobs, job runner), built as the handlers build them. */
  readonly deps: OrchestratorDeps;
  /** For the dead-letter queues, which no port covers (the bus only sends). */
  readonly sqs: SQSClient;
  /** Who runs the command (`--by`, else the OS user), recorded with every move. */
  readonly operator: string;
}

/** Builds the runtime of `target` through the handlers' composition root. */
export function opsContext(
  target: OpsTarget,
  operator: string,
  writeError: (line: string) => void,
): OpsContext {
  const runtime = buildRuntime(target.handlerEnvironment, {
    logger: stderrLogger(writeError),
    metrics: droppedMetrics,
  });
  return { target, runtime, deps: runtime.orchestrator(), sqs: new SQSClient({}), operator };
}
