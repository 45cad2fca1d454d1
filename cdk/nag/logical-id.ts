import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The CloudFormation logical id of a construct's resource, as cdk-nag writes it in finding ids
 * (`Resource::<ArtifactBucketABC123.Arn>/*`), so an acknowledgement names exactly one finding.
 */
export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (child === undefined)
    throw new Error(`${construct.node.path}: expected a construct with a CloudFormation resource`);
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(child as CfnElement)) as string;
}
