import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InvalidInputError, PipelineError } from '../../core/errors.js';
import type { BlobStore } from '../../core/ports/blob-store.js';

/** S3's limit for one PutObject; artifacts beyond it would need multipart upload, which no prover output needs. */
const S3_SINGLE_PUT_MAX_BYTES = 5 * 1024 ** 3;

/** A blob too large for a single PutObject. */
class BlobTooLargeError extends PipelineError {
  override readonly name: string = 'BlobTooLargeError';
}

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * BlobStore over one S3 bucket (s3rver locally). Keys are deterministic (`blob-keys.ts`), so a
 * retried write overwrites the same object with the same content. Bodies are sent with an explicit
 * length, and a missing key is `undefined`, never an error.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  async put(key: string, body: Uint8Array | string, contentType = 'application/octet-stream'): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (bytes.byteLength > S3_SINGLE_PUT_MAX_BYTES) {
      throw new BlobTooLargeError(
        `blob "${key}" is ${bytes.byteLength} bytes, above the ${S3_SINGLE_PUT_MAX_BYTES}-byte limit`,
      );
    }
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: contentType,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (result.Body === undefined) return new Uint8Array();
      return await result.Body.transformToByteArray();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.put(key, JSON.stringify(value), 'application/json');
  }

  async getJson(key: string): Promise<unknown> {
    const bytes = await this.get(key);
    if (bytes === undefined) return undefined;
    const text = Buffer.from(bytes).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(
        `JSON blob s3://${this.bucket}/${key}`,
        [`(body): not JSON: ${(error as Error).message}`],
        error,
      );
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}
