import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaProposerWakeup } from '../../../lambdas/adapters/aws/lambda-proposer-wakeup.js';
import { noProposerWakeup } from '../../../lambdas/core/ports/proposer-wakeup.js';
import { proposerWakeupFromEnv } from '../../../lambdas/handlers/proposer-wakeup-from-env.js';

describe('LambdaProposerWakeup (SDK mock: no Lambda stand-in answers Invoke)', () => {
  const client = new LambdaClient({});
  const lambda = mockClient(client);

  beforeEach(() => {
    lambda.reset();
  });

  it('sends one asynchronous Invoke of the proposer function with the reason in the event', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const wakeup = new LambdaProposerWakeup({ client, functionName: 'rollup-prover-proposer' });
    // Act
    await wakeup.wake('proof-recorded');
    // Assess
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const { Payload, ...input } = calls[0]!.args[0].input;
    expect(input).toEqual({ FunctionName: 'rollup-prover-proposer', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(Payload as Uint8Array))).toEqual({
      source: 'rollup-prover.proposer-wakeup',
      'detail-type': 'Proposer Wake-up',
      detail: { reason: 'proof-recorded' },
    });
  });

  it('throws naming the function when Lambda did not queue the event, and passes SDK errors on', async () => {
    // Prepare
    const wakeup = new LambdaProposerWakeup({ client, functionName: 'rollup-prover-proposer' });
    lambda.on(InvokeCommand).resolvesOnce({ StatusCode: 200 }).rejectsOnce(new Error('Rate exceeded'));
    // Act + Assess
    await expect(wakeup.wake('group-awaits-checkpoint')).rejects.toThrow(
      'asynchronous Invoke of rollup-prover-proposer: expected status 202 (queued), got 200',
    );
    await expect(wakeup.wake('group-awaits-checkpoint')).rejects.toThrow('Rate exceeded');
  });

  it('is built from PROPOSER_FUNCTION_NAME, and is the no-op without it', async () => {
    // Prepare
    const env = { PROPOSER_FUNCTION_NAME: 'rollup-prover-proposer' };
    // Act
    const configured = proposerWakeupFromEnv(env);
    const absent = proposerWakeupFromEnv({});
    const empty = proposerWakeupFromEnv({ PROPOSER_FUNCTION_NAME: '' });
    // Assess
    expect(configured).toBeInstanceOf(LambdaProposerWakeup);
    expect(absent).toBe(noProposerWakeup);
    expect(empty).toBe(noProposerWakeup);
  });
});
