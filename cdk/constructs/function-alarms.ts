import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { AddAlarm } from './topic-alarms.js';

/**
 * Errors and throttles of each pipeline function (`FunctionErrors-<name>`,
 * `FunctionThrottles-<name>`): at least one in two of three five-minute periods, so that one
 * retried failure does not page anyone but a function failing run after run does.
 */
export function addFunctionAlarms(
  alarm: AddAlarm,
  functions: Readonly<Record<string, lambda.IFunction>>,
): void {
  const every5Minutes = { period: Duration.minutes(5), statistic: 'Sum' };
  const repeated = {
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  for (const [name, fn] of Object.entries(functions)) {
    alarm(`FunctionErrors-${name}`, {
      alarmDescription: `The ${name} function failed in two of the last three 5-minute periods: read its log group`,
      metric: fn.metricErrors(every5Minutes),
      ...repeated,
    });
    alarm(`FunctionThrottles-${name}`, {
      alarmDescription: `The ${name} function was throttled in two of the last three 5-minute periods: check the account's Lambda concurrency`,
      metric: fn.metricThrottles(every5Minutes),
      ...repeated,
    });
  }
}
