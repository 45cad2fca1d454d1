import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Json, useExampleStack } from './pipeline-stack-fixture.js';

/** The IAM statements attached to the role of the function with logical id `functionId`. */
function statementsOfFunctionRole(
  resources: Record<string, Json>,
  functionId: string,
): Array<{ Action: unknown; Resource: unknown }> {
  const roleRef = resources[functionId].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(resources)
    .filter(
      (r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleRef),
    )
    .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);
}

describe('proposer wake-ups (config/aws-example.json)', () => {
  // Prepare: one synth for the file, without bundling (only the code asset keys differ)
  const { synth, resources, ofType, functionId } = useExampleStack({});

  it('give the dispatcher, and only it, the proposer function name as PROPOSER_FUNCTION_NAME', () => {
    // Act
    const proposer = functionId('Proposer/Function');
    const withName = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => 'PROPOSER_FUNCTION_NAME' in fn.Properties.Environment.Variables,
    );
    // Assess
    expect(withName.map(([id]) => id)).toEqual([functionId('Orchestrator/Dispatcher')]);
    expect(withName[0]?.[1].Properties.Environment.Variables.PROPOSER_FUNCTION_NAME).toEqual({
      Ref: proposer,
    });
  });

  it('allow lambda:InvokeFunction to exactly the proposer function, for the dispatcher only', () => {
    // Act
    const proposerArn = { 'Fn::GetAtt': [functionId('Proposer/Function'), 'Arn'] };
    const invokers = ofType('AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Json[])
        .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('lambda:')))
        .map((s) => ({ roles: policy.Properties.Roles, statement: s })),
    );
    const dispatcherStatements = statementsOfFunctionRole(resources(), functionId('Orchestrator/Dispatcher'));
    // Assess
    expect(invokers).toHaveLength(1);
    expect(dispatcherStatements).toContainEqual({
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: proposerArn,
    });
  });

  it('keep the proposer at reserved concurrency 1 and drop queued invocations older than a schedule period', () => {
    // Act
    const proposer = functionId('Proposer/Function');
    // Assess
    expect(resources()[proposer]?.Properties.ReservedConcurrentExecutions).toBe(1);
    synth().template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: proposer },
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 300,
      MaximumRetryAttempts: 0,
      DestinationConfig: Match.absent(),
    });
  });
});
