import { S3Client } from '@aws-sdk/client-s3';
import { SDK_CLIENT_SETTINGS } from './sdk-client-settings.js';

/**
 * An S3 client for the artifact bucket. The endpoint comes from the SDK's standard
 * `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` variables (s3rver locally); a custom endpoint gets
 * path-style addressing, as local stand-ins have no per-bucket host names. One client per bucket
 * (`SDK_CLIENT_SETTINGS`).
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const customEndpoint = (env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? '') !== '';
  return new S3Client({ ...SDK_CLIENT_SETTINGS, forcePathStyle: customEndpoint });
}
