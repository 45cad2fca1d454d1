import { describe, expect, it } from 'vitest';
import {
  credentialsTreatedAsExpired,
  credentialsWillNeedRefresh,
  environmentCredentials,
} from '../../../lambdas/adapters/aws/lambda-environment-credentials.js';
import type { Envelope } from '../../../lambdas/core/messages/envelope.js';
import { NoMessageBusError, noMessageBus } from '../../../lambdas/handlers/no-message-bus.js';

describe('environmentCredentials (the credential chain of the Lambda bundles)', () => {
  it('reads the role credentials Lambda sets, as the SDK fromEnv does', () => {
    // Prepare
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00.000Z',
      AWS_ACCOUNT_ID: '123456789012',
    };

    // Act
    const credentials = environmentCredentials(env);

    // Assess
    expect(credentials).toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date('2030-01-01T00:00:00.000Z'),
      accountId: '123456789012',
      $source: { CREDENTIALS_ENV_VARS: 'g' },
    });
  });

  it('leaves out what the environment does not set', () => {
    // Act
    const credentials = environmentCredentials({
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });

    // Assess
    expect(Object.keys(credentials).sort()).toEqual(['$source', 'accessKeyId', 'secretAccessKey']);
  });

  it('fails naming both variables when the secret is missing', () => {
    // Act / Assess
    expect(() => environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKIA' })).toThrow(
      /expected AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment/,
    );
  });

  it('treats credentials as expired within 5 minutes of their expiry, as the SDK does', () => {
    // Prepare
    const soon = { expiration: new Date(Date.now() + 60_000) };
    const later = { expiration: new Date(Date.now() + 3_600_000) };

    // Act / Assess
    expect([credentialsTreatedAsExpired(soon), credentialsTreatedAsExpired(later)]).toEqual([true, false]);
    expect([credentialsWillNeedRefresh(later), credentialsWillNeedRefresh({})]).toEqual([true, false]);
  });
});

describe('noMessageBus (the proposer publishes nothing)', () => {
  it('refuses to publish, naming the handler and the messages', async () => {
    // Prepare
    const bus = noMessageBus('proposer');
    const envelope = { id: 'aggregate-proofs/100-400' } as Envelope;

    // Act
    const published = bus.publish([envelope]);

    // Assess
    await expect(published).rejects.toBeInstanceOf(NoMessageBusError);
    await expect(published).rejects.toThrow(
      /proposer handler publishes no messages .*aggregate-proofs\/100-400/,
    );
  });
});
