import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduledEvent } from 'aws-lambda';
import { type LocalLambdaHandler, lambdaContext } from './lambda-context.js';
import { LOCAL_ACCOUNT_ID } from './local-account.js';

export interface ScheduledTarget {
  /** Rule and function name, e.g. `watcher`. */
  readonly name: string;
  readonly everySeconds: number;
  /** The function's timeout (the context's remaining time at the start of a run). */
  readonly timeoutSeconds: number;
  readonly handler: LocalLambdaHandler<ScheduledEvent, unknown>;
}

export interface RunningScheduler {
  stop(): Promise<void>;
}

/**
 * EventBridge schedules on one machine: invokes each target with an AWS-shaped "Scheduled Event"
 * every `everySeconds`, never overlapping two runs of the same target (like reserved concurrency 1:
 * a tick that finds the previous run still going is skipped).
 */
export function startLocalScheduler(
  targets: readonly ScheduledTarget[],
  options: { region?: string; onError?: (target: string, error: unknown) => void } = {},
): RunningScheduler {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  let stopped = false;
  const loops = targets.map(async (target) => {
    while (!stopped) {
      const tickStart = Date.now();
      const event: ScheduledEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: LOCAL_ACCOUNT_ID,
        time: new Date(tickStart).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region,
        resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${target.name}-schedule`],
        detail: {},
      };
      try {
        await target.handler(event, lambdaContext(target.name, target.timeoutSeconds));
      } catch (error) {
        options.onError?.(target.name, error);
      }
      const period = target.everySeconds * 1000;
      const elapsed = Date.now() - tickStart;
      // Ticks missed while a run was going are skipped, not queued.
      const wait = period - (elapsed % period);
      const until = Date.now() + wait;
      while (!stopped && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}
