import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { StageJobTarget } from './proving-stage.js';

/**
 * Lets `grantee` submit jobs of the stages with these targets (any revision of their job
 * definitions), look up jobs by name (the runner's idempotency check; `batch:ListJobs` has no
 * resource-level permissions) and stop them (`batch:TerminateJob`: the loser of a hedge or of a `first` join).
 */
export function grantJobControl(
  grantee: iam.IGrantable & IConstruct,
  targets: readonly StageJobTarget[],
): void {
  if (targets.length === 0) return;
  const stack = Stack.of(grantee);
  const resources = targets.flatMap((target) => [
    ...target.jobQueueArns,
    stack.formatArn({
      service: 'batch',
      resource: 'job-definition',
      resourceName: target.jobDefinitionName,
    }),
    stack.formatArn({
      service: 'batch',
      resource: 'job-definition',
      resourceName: `${target.jobDefinitionName}:*`,
    }),
  ]);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['batch:SubmitJob'], resources }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['batch:ListJobs'], resources: ['*'] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['batch:TerminateJob'],
      resources: [stack.formatArn({ service: 'batch', resource: 'job', resourceName: '*' })],
    }),
  );
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  for (const target of targets) {
    const name = target.jobDefinitionName;
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:batch:${stack.region}:${stack.account}:job-definition/${name}:*]`,
      reason: `SubmitJob names job definition ${name} without a revision (Batch runs the latest active one); ":*" covers its revisions and nothing else.`,
    });
  }
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:${partition}:batch:${stack.region}:${stack.account}:job/*]`,
    reason:
      "batch:TerminateJob names a job by the id Batch generated at submit; the runner only stops jobs it found by name in its own stages' queues.",
  });
  Validations.of(grantee).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'batch:ListJobs (the job runner looks a job up by name before submitting, for idempotency) supports no resource-level permissions.',
  });
}
