import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
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

/** The alarm topic and the key that encrypts it (publishers need both). */
export interface AlarmTopic {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
}

/** An AWS service that may publish to the alarm topic, and the source ARNs it may publish for. */
export interface AlarmTopicPublisher {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /** `aws:SourceArn` must match this (wildcards allowed, `ArnLike`). */
  readonly sourceArn: string;
  /** Prefix of the statement ids (`<sid>Publish`, `<sid>UseKey`). */
  readonly sid: string;
}

/**
 * Adds the alarm topic to `scope` (ids `AlarmTopicKey`, `AlarmTopic`, so they stay under the
 * monitoring construct): SNS encrypted with its own rotating KMS key, SSL only, the e-mail
 * subscription when one is configured, and CloudWatch allowed to publish for this stack's alarms.
 *
 * `enforceSSL` alone leaves a topic policy holding only the TLS deny: without the allow statement
 * no alarm notification would ever be delivered.
 */
export function addAlarmTopic(scope: Construct, props: AlarmTopicProps): AlarmTopic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `${props.pipelineName}: encrypts the alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: `${props.pipelineName} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  if (props.alarmEmail !== undefined)
    topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
  const alarmTopic = { topic, key };
  allowPublishing(alarmTopic, {
    service: 'cloudwatch.amazonaws.com',
    sourceArn: stackAlarmArns(scope),
    sid: 'CloudWatchAlarms',
  });
  return alarmTopic;
}

/**
 * Lets `publisher.service` publish to the topic and use its key, only from this stack's account
 * and for sources matching `publisher.sourceArn` (the confused-deputy conditions).
 */
export function allowPublishing(alarmTopic: AlarmTopic, publisher: AlarmTopicPublisher): void {
  const principal = new iam.ServicePrincipal(publisher.service);
  const conditions = {
    StringEquals: { 'aws:SourceAccount': Stack.of(alarmTopic.topic).account },
    ArnLike: { 'aws:SourceArn': publisher.sourceArn },
  };
  alarmTopic.topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${publisher.sid}Publish`,
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [alarmTopic.topic.topicArn],
      conditions,
    }),
  );
  alarmTopic.key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${publisher.sid}UseKey`,
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions,
    }),
  );
}

/**
 * ARNs of the alarms of this stack: CloudFormation names an alarm without `AlarmName`
 * `<stack name>-<logical id>-<suffix>`.
 */
export function stackAlarmArns(scope: Construct): string {
  const stack = Stack.of(scope);
  return stack.formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: `${stack.stackName}-*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
