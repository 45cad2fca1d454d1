/**
 * The AWS SDK's default credential chain as the Lambda bundles carry it: esbuild aliases
 * `@aws-sdk/credential-provider-node` to this file (`LAMBDA_BUNDLE_SETTINGS.alias`). Lambda puts the
 * function role's credentials in the environment, the first link of the SDK's chain, which therefore
 * always answers there; the other links (SSO, ini files, credential processes, web identity,
 * container and instance metadata) and the STS, SSO and sign-in clients they bring weigh ~110 kB per
 * bundle and are never reached. Only the bundles use it: tests and the local run import the SDK's
 * own chain. No package import, so the bundle adds nothing but this file.
 */

/** The credentials the SDK signs with (`AwsCredentialIdentity` of `@smithy/types`). */
export interface EnvironmentCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly credentialScope?: string;
  readonly accountId?: string;
  /** How the SDK's user-agent header names the credentials' source, as its `fromEnv` sets it. */
  readonly $source: { readonly CREDENTIALS_ENV_VARS: 'g' };
}

/** The variables Lambda sets, named as the SDK's `fromEnv` reads them. */
const ENV = {
  key: 'AWS_ACCESS_KEY_ID',
  secret: 'AWS_SECRET_ACCESS_KEY',
  session: 'AWS_SESSION_TOKEN',
  expiration: 'AWS_CREDENTIAL_EXPIRATION',
  scope: 'AWS_CREDENTIAL_SCOPE',
  accountId: 'AWS_ACCOUNT_ID',
} as const;

/**
 * Reads the credentials from `env` as the SDK's `fromEnv` does.
 * @throws Error naming the two variables when either is missing (a bundle run outside Lambda).
 */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): EnvironmentCredentials {
  const accessKeyId = env[ENV.key];
  const secretAccessKey = env[ENV.secret];
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `AWS credentials: expected ${ENV.key} and ${ENV.secret} in the environment (Lambda sets them; ` +
        `this bundle carries only the environment link of the SDK's credential chain)`,
    );
  }
  const sessionToken = env[ENV.session];
  const expiration = env[ENV.expiration];
  const credentialScope = env[ENV.scope];
  const accountId = env[ENV.accountId];
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
    ...(credentialScope ? { credentialScope } : {}),
    ...(accountId ? { accountId } : {}),
    $source: { CREDENTIALS_ENV_VARS: 'g' },
  };
}

/**
 * The SDK clients' `credentialDefaultProvider` (the name `@aws-sdk/credential-provider-node`
 * exports): a provider reading the environment on each call (the clients cache what it returns).
 */
export function defaultProvider(_init?: unknown): () => Promise<EnvironmentCredentials> {
  return async () => environmentCredentials();
}

/** As the SDK's: credentials with an expiry are refreshed. */
export function credentialsWillNeedRefresh(credentials?: { readonly expiration?: Date }): boolean {
  return credentials?.expiration !== undefined;
}

/** As the SDK's: credentials expiring within 5 minutes count as expired. */
export function credentialsTreatedAsExpired(credentials?: { readonly expiration?: Date }): boolean {
  return credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
}
