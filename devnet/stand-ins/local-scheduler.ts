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
  /**
   * Runs target `name` now instead of at its next tick (the local side of an asynchronous Invoke).
   * Coalesced: wakes while a run is going make exactly one more run right after it; the tick
   * grid is not moved.
   * @throws Error naming the known targets when no target is called `name`.
   */
  wake(name: string): void;
  stop(): Promise<void>;
}

/** One target's loop state: a wake pending, and how to cut its current wait short. */
interface TargetLoop {
  woken: boolean;
  interruptWait: AbortController | undefined;
}

/**
 * EventBridge schedules on one machine: invokes each target with an AWS-shaped "Scheduled Event"
 * every `everySeconds` (ticks on a fixed grid from the start), never overlapping two runs of the
 * same target (like reserved concurrency 1: a tick that finds the previous run still going is
 * skipped), and at once when woken (`wake`).
 */
export function startLocalScheduler(
  targets: readonly ScheduledTarget[],
  options: { region?: string; onError?: (target: string, error: unknown) => void } = {},
): RunningScheduler {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  let stopped = false;
  const state = new Map<string, TargetLoop>(
    targets.map((target) => [target.name, { woken: false, interruptWait: undefined }]),
  );
  const loops = targets.map(async (target) => {
    const loop = state.get(target.name) as TargetLoop;
    const period = target.everySeconds * 1000;
    const gridStart = Date.now();
    while (!stopped) {
      loop.woken = false;
      const runStart = Date.now();
      try {
        await target.handler(
          scheduledEvent(target.name, runStart, region),
          lambdaContext(target.name, target.timeoutSeconds),
        );
      } catch (error) {
        options.onError?.(target.name, error);
      }
      // Ticks missed while a run was going are skipped, not queued; a wake during the run is not.
      const nextTick = gridStart + (Math.floor((Date.now() - gridStart) / period) + 1) * period;
      while (!stopped && !loop.woken && Date.now() < nextTick) {
        loop.interruptWait = new AbortController();
        await sleep(Math.min(1000, nextTick - Date.now()), undefined, {
          signal: loop.interruptWait.signal,
        }).catch(() => undefined);
      }
      loop.interruptWait = undefined;
    }
  });
  return {
    wake: (name) => {
      const loop = state.get(name);
      if (loop === undefined) {
        throw new Error(
          `local scheduler: no target "${name}" to wake (targets: ${[...state.keys()].join(', ')})`,
        );
      }
      loop.woken = true;
      loop.interruptWait?.abort();
    },
    stop: async () => {
      stopped = true;
      for (const loop of state.values()) loop.interruptWait?.abort();
      await Promise.all(loops);
    },
  };
}

function scheduledEvent(name: string, at: number, region: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${name}-schedule`],
    detail: {},
  };
}
