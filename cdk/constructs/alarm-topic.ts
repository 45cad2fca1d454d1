import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Pipeline name, in the topic's display name and the key's description. */
  readonly pipelineName: string;
  /** @default - no subscription (subscribe to the topic by hand) */
  readonly alarmEmail?: string;
}

/**
 * Adds the alarm topic to `scope` (ids `AlarmTopicKey`, `AlarmTopic`, so they stay under the
 * monitoring construct): SNS encrypted with its own rotating KMS key that CloudWatch may use, SSL
 * only, and the e-mail subscription when one is configured.
 */
export function addAlarmTopic(scope: Construct, props: AlarmTopicProps): sns.Topic {
  const topicKey = new kms.Key(scope, 'AlarmTopicKey', {
    description: `${props.pipelineName}: encrypts the alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // CloudWatch publishes alarm notifications to the encrypted topic with this key.
  topicKey.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: `${props.pipelineName} alarms`,
    masterKey: topicKey,
    enforceSSL: true,
  });
  if (props.alarmEmail !== undefined)
    topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
  return topic;
}
