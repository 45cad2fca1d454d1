/**
 * The AWS SDK environment of a local run, keeping what `environment` sets already: a region, dummy
 * credentials (the stand-ins accept any), no EC2 metadata look-ups, no SDK maintenance notice.
 * The one place these defaults live (`npm start`, the benchmark, the handlers and Batch jobs).
 */
export function localAwsEnvironment(environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    AWS_REGION: environment.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: environment.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: environment.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  };
}

/** Sets `localAwsEnvironment()` in this process's environment, before any SDK client is created. */
export function applyLocalAwsEnvironment(environment: NodeJS.ProcessEnv = process.env): void {
  Object.assign(environment, localAwsEnvironment(environment));
}
