import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStandIn } from '../../../devnet/stand-ins/dynamodb-stand-in.js';
import { startLambdaStandIn } from '../../../devnet/stand-ins/lambda-invoke-server.js';
import { LambdaProposerWakeup } from '../../../lambdas/adapters/aws/lambda-proposer-wakeup.js';

describe('Lambda stand-in (asynchronous Invoke) with the proposer wake-up adapter', () => {
  const invoked: Array<{ name: string; payload: string }> = [];
  let standIn: RunningStandIn;
  let client: LambdaClient;

  beforeAll(async () => {
    standIn = await startLambdaStandIn({
      functions: ['proposer'],
      onInvoke: (name, payload) => invoked.push({ name, payload }),
    });
    client = new LambdaClient({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it('queues the wake-up of a local function (202) and hands its event over', async () => {
    // Prepare
    const wakeup = new LambdaProposerWakeup({ client, functionName: 'proposer' });
    // Act
    await wakeup.wake('group-awaits-checkpoint');
    // Assess
    expect(invoked.map(({ name }) => name)).toEqual(['proposer']);
    expect(JSON.parse(invoked[0]?.payload ?? '')).toMatchObject({
      detail: { reason: 'group-awaits-checkpoint' },
    });
  });

  it('refuses a function it does not run with ResourceNotFoundException', async () => {
    // Prepare
    const wakeup = new LambdaProposerWakeup({ client, functionName: 'watcher' });
    // Act + Assess
    await expect(wakeup.wake('proof-recorded')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: watcher (local functions: proposer)',
    });
  });
});
