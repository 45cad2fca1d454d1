import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Adds one alarm under the scope it was made for. */
export type AddAlarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => void;

/**
 * An `AddAlarm` that creates each alarm directly under `scope` (its id is the construct id) with
 * the topic as its ALARM and its OK action, and the list the alarms are collected in.
 */
export function topicAlarms(
  scope: Construct,
  topic: sns.ITopic,
): { alarm: AddAlarm; alarms: cloudwatch.Alarm[] } {
  const alarms: cloudwatch.Alarm[] = [];
  const alarm: AddAlarm = (alarmId, alarmProps) => {
    const created = new cloudwatch.Alarm(scope, alarmId, alarmProps);
    created.addAlarmAction(new actions.SnsAction(topic));
    created.addOkAction(new actions.SnsAction(topic));
    alarms.push(created);
  };
  return { alarm, alarms };
}

/** CloudWatch alarm periods are whole minutes here: at least five, and at least `seconds`. */
export function periodCovering(seconds: number): number {
  return Math.max(300, Math.ceil(seconds / 60) * 60);
}
