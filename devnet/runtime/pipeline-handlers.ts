import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatchJobStateChangeEvent } from '../stand-ins/batch-job-state-change.js';

type Handler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/** The four Lambda handlers, the very modules Lambda runs (`lambdas/handlers/*.ts` `handler`). */
export interface PipelineHandlers {
  readonly watcher: Handler<ScheduledEvent, unknown>;
  readonly proposer: Handler<ScheduledEvent, unknown>;
  readonly dispatcher: Handler<SQSEvent, SQSBatchResponse | undefined>;
  readonly jobState: Handler<BatchJobStateChangeEvent, unknown>;
}

/**
 * The handlers' telemetry environment: the powertools logger and metrics read it when their module
 * loads, so it must be in place before `importPipelineHandlers`. An operator's own
 * `POWERTOOLS_SERVICE_NAME` wins. Without `verbose`, warnings and errors only and no EMF metrics.
 */
export function handlerTelemetryEnvironment(
  configName: string,
  verbose: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: env.POWERTOOLS_SERVICE_NAME ?? `${configName}-local`,
    POWERTOOLS_LOG_LEVEL: verbose ? 'INFO' : 'WARN',
    ...(verbose ? {} : { POWERTOOLS_METRICS_DISABLED: 'true' }),
  };
}

/**
 * Sets the telemetry environment and starts importing the handlers, so that loading (and, under
 * tsx, transpiling) them runs while the chains start instead of after: hand the promise to
 * `startLocalPipeline({ handlers })`. The import itself reads nothing else from the environment
 * (each handler builds its dependencies on its first invocation).
 */
export function preloadPipelineHandlers(
  repoRoot: string,
  telemetry: { readonly configName: string; readonly verbose: boolean },
): Promise<PipelineHandlers> {
  Object.assign(process.env, handlerTelemetryEnvironment(telemetry.configName, telemetry.verbose));
  const loading = importPipelineHandlers(repoRoot);
  // A start that fails before the pipeline (the chains) never awaits it: no unhandled rejection.
  loading.catch(() => undefined);
  return loading;
}

/**
 * Imports the handler modules. They build their dependencies from `process.env` on first use
 * (cold start), so the environment contract must be in place before this is called.
 */
export async function importPipelineHandlers(repoRoot: string): Promise<PipelineHandlers> {
  const load = async <T>(name: string): Promise<T> => {
    const url = pathToFileURL(join(repoRoot, 'lambdas', 'handlers', `${name}.ts`)).href;
    const module = (await import(url)) as { handler?: T };
    if (module.handler === undefined) throw new Error(`lambdas/handlers/${name}.ts exports no \`handler\``);
    return module.handler;
  };
  const [watcher, proposer, dispatcher, jobState] = await Promise.all([
    load<PipelineHandlers['watcher']>('watcher'),
    load<PipelineHandlers['proposer']>('proposer'),
    load<PipelineHandlers['dispatcher']>('dispatcher'),
    load<PipelineHandlers['jobState']>('job-state'),
  ]);
  return { watcher, proposer, dispatcher, jobState };
}
