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
