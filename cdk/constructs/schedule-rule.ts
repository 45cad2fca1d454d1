import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export interface ScheduleRuleProps {
  /** Minutes between runs (EventBridge `rate(N minutes)`): a whole number ≥ 1. */
  readonly everyMinutes: number;
  readonly description: string;
  /** The function to invoke (no retries, by EventBridge or by Lambda: the next run picks up the work). */
  readonly target: lambda.IFunction;
}

/** Lambda keeps an asynchronous event at most six hours. */
const MAX_EVENT_AGE_MINUTES = 6 * 60;

/**
 * Checks a schedule period in whole minutes.
 * @throws Error naming the construct path and the value when it is not a whole number ≥ 1.
 */
export function assertScheduleMinutes(scope: Construct, everyMinutes: number): void {
  if (!Number.isInteger(everyMinutes) || everyMinutes < 1) {
    throw new Error(`${scope.node.path}: everyMinutes got ${everyMinutes}, expected a whole number ≥ 1`);
  }
}

/**
 * An EventBridge rule `Schedule` under `scope` invoking `target` every `everyMinutes` minutes.
 * EventBridge's `retryAttempts: 0` only stops EventBridge; Lambda's asynchronous invoke would still
 * run a failed invocation twice more, overlapping the next scheduled runs. So the target's async
 * invoke config gets no retries either, and drops an event older than one period (the next run has
 * started by then).
 * @throws Error when `everyMinutes` is not a whole number ≥ 1.
 */
export function scheduleRule(scope: Construct, props: ScheduleRuleProps): events.Rule {
  assertScheduleMinutes(scope, props.everyMinutes);
  props.target.configureAsyncInvoke({
    retryAttempts: 0,
    maxEventAge: Duration.minutes(Math.min(props.everyMinutes, MAX_EVENT_AGE_MINUTES)),
  });
  return new events.Rule(scope, 'Schedule', {
    description: props.description,
    schedule: events.Schedule.rate(Duration.minutes(props.everyMinutes)),
    targets: [new targets.LambdaFunction(props.target, { retryAttempts: 0 })],
  });
}
