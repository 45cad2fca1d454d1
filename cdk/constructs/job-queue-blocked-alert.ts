import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ProvingCluster } from './proving-cluster.js';

/** The EventBridge detail type of Batch's "a RUNNABLE job blocks the head of the queue" event. */
export const JOB_QUEUE_BLOCKED_DETAIL_TYPE = 'Batch Job Queue Blocked';

/** EventBridge rule names: at most 64 characters. */
const RULE_NAME_MAX_LENGTH = 64;

export interface JobQueueBlockedAlertProps {
  /** The rule is named `<pipelineName>-job-queue-blocked`. */
  readonly pipelineName: string;
  /** Whose job queues (each stage's, and its on-demand-only one) are watched. */
  readonly cluster: ProvingCluster;
  /** Where the events go: the alarm topic, so a person hears of a GPU quota of 0 or no capacity. */
  readonly topic: sns.ITopic;
}

/**
 * Sends AWS Batch "Job Queue Blocked" events of the cluster's job queues to the alarm topic: Batch
 * emits one when a `RUNNABLE` job at the head of a queue cannot be placed (no capacity, a vCPU quota
 * of 0, maxvCpus below the job's, no instance type that fits). Lives under the cluster; built after
 * the monitoring construct that owns the topic.
 */
export class JobQueueBlockedAlert extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: JobQueueBlockedAlertProps) {
    super(scope, id);
    const ruleName = `${props.pipelineName}-job-queue-blocked`;
    if (ruleName.length > RULE_NAME_MAX_LENGTH) {
      throw new Error(
        `${this.node.path}: rule name "${ruleName}" has ${ruleName.length} characters, expected at most ${RULE_NAME_MAX_LENGTH} (shorten the pipeline name)`,
      );
    }
    const queueArns = [...props.cluster.targets.values()].flatMap((target) => target.jobQueueArns);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName,
      description: 'AWS Batch job queue blocked (a RUNNABLE job cannot be placed): to the alarm topic',
      eventPattern: {
        source: ['aws.batch'],
        detailType: [JOB_QUEUE_BLOCKED_DETAIL_TYPE],
        detail: { jobQueue: queueArns },
      },
      targets: [new targets.SnsTopic(props.topic)],
    });
    // EventBridge publishes to the encrypted topic with its key, for this rule only. The ARN is built
    // from the name: the rule's own ARN attribute would make key → rule → topic → key a cycle.
    const ruleArn = Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: ruleName });
    props.topic.masterKey?.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      }),
    );
  }
}
