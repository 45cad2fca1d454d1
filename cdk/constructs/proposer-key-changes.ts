import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { type AlarmTopic, allowPublishing } from './alarm-topic.js';

/** EventBridge rule names hold at most 64 characters. */
const RULE_NAME_MAX_LENGTH = 64;

/** KMS calls that change who may sign as the proposer, or stop it signing at all. */
export const PROPOSER_KEY_CHANGES = ['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion'] as const;

/**
 * Adds the rule `ProposerKeyChanges` to `scope`: the CloudTrail management events
 * `PROPOSER_KEY_CHANGES` on the proposer's key go to the alarm topic, as one line naming the call,
 * the key and who made it. EventBridge may publish for this rule only.
 *
 * EventBridge sees these events only where a CloudTrail trail records management events (most
 * accounts have one; a fresh account must create it), in the key's own account and region.
 */
export function addProposerKeyChangeRule(
  scope: Construct,
  key: kms.IKey,
  alarmTopic: AlarmTopic,
): events.Rule {
  // A fixed name: the topic key's policy names the rule's ARN, and a reference to the rule itself
  // would close a cycle (key → rule → topic → key).
  const suffix = '-ProposerKeyChanges';
  const ruleName =
    Names.uniqueResourceName(scope, { maxLength: RULE_NAME_MAX_LENGTH - suffix.length }) + suffix;
  const rule = new events.Rule(scope, 'ProposerKeyChanges', {
    ruleName,
    description: `Proposer signing key policy changed, key disabled or deletion scheduled: ${PROPOSER_KEY_CHANGES.join(', ')}`,
    eventPattern: {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: [...PROPOSER_KEY_CHANGES],
        resources: { ARN: [key.keyArn] },
      },
    },
  });
  const message = events.RuleTargetInput.fromText(
    `Proposer signing key ${key.keyArn}: ${events.EventField.fromPath('$.detail.eventName')} by ${events.EventField.fromPath('$.detail.userIdentity.arn')} at ${events.EventField.time}. Check that this was intended: the key is the proposer's identity on L1.`,
  );
  // Not the SnsTopic target: it grants events.amazonaws.com the topic and its key for any source.
  rule.addTarget({ bind: () => ({ arn: alarmTopic.topic.topicArn, input: message }) });
  allowPublishing(alarmTopic, {
    service: 'events.amazonaws.com',
    sourceArn: Stack.of(scope).formatArn({ service: 'events', resource: 'rule', resourceName: ruleName }),
    sid: 'ProposerKeyChanges',
  });
  return rule;
}
