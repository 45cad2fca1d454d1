import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import S3Bucket from 's3rver/lib/models/bucket.js';
import S3Error from 's3rver/lib/models/error.js';
import S3Object from 's3rver/lib/models/object.js';

/** An object as s3rver's controllers hand it to a store: the request body, streamed or whole. */
interface IncomingObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Buffer | AsyncIterable<Buffer>;
  readonly metadata: Record<string, string>;
}

interface StoredObject {
  readonly body: Buffer;
  readonly metadata: Record<string, string | number>;
}

/**
 * s3rver's object store in this process's memory, in place of its `FilesystemStore`, for a local run
 * that throws its state away (`persistence: 'memory'`): each PutObject otherwise costs a mkdir, an
 * object file, an md5 file and a metadata file, and each GetObject a stat and three reads, about a
 * quarter of the benchmark's CPU per call. s3rver still parses, authenticates and answers every
 * request; only where bytes are kept changes, with the metadata `FilesystemStore` returns (ETag as
 * the quoted MD5, Last-Modified, Content-Length, the allowed headers and `x-amz-meta-*`).
 *
 * The pipeline only puts, gets and heads objects (`S3BlobStore`); deleting objects works too, and
 * the other operations (listing, copies, multipart uploads, bucket configs) answer 501 NotImplemented
 * naming the setting, rather than writing files behind the caller's back.
 */
export class S3MemoryStore {
  private readonly buckets = new Map<string, Date>();
  private readonly objects = new Map<string, StoredObject>();

  async listBuckets(): Promise<S3Bucket[]> {
    return [...this.buckets].map(([name, created]) => new S3Bucket(name, created));
  }

  async getBucket(bucket: string): Promise<S3Bucket | null> {
    const created = this.buckets.get(bucket);
    return created === undefined ? null : new S3Bucket(bucket, created);
  }

  async putBucket(bucket: string): Promise<S3Bucket> {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Date());
    return new S3Bucket(bucket, this.buckets.get(bucket) as Date);
  }

  /** No bucket has a CORS or website configuration here (s3rver asks on every request). */
  async getSubresource(): Promise<null> {
    return null;
  }

  async existsObject(bucket: string, key: string): Promise<boolean> {
    return this.objects.has(objectId(bucket, key));
  }

  /** The object with its body from `options.start` to `options.end` (inclusive), as `FilesystemStore` reads it. */
  async getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<S3Object | null> {
    const stored = this.objects.get(objectId(bucket, key));
    if (stored === undefined) return null;
    const lastByte = Math.max(0, stored.body.length - 1);
    const ranged = options !== undefined && (options.start !== undefined || options.end !== undefined);
    const range = {
      start: options?.start ?? 0,
      end: Math.min(options?.end ?? Number.POSITIVE_INFINITY, lastByte),
    };
    const satisfiable = range.start >= 0 && range.start <= range.end;
    const content = satisfiable ? Readable.from([stored.body.subarray(range.start, range.end + 1)]) : null;
    const object = new S3Object(bucket, key, content, stored.metadata);
    if (ranged) object.range = range;
    return object;
  }

  async putObject(object: IncomingObject): Promise<{ size: number; md5: string }> {
    const body = Buffer.isBuffer(object.content) ? object.content : await collect(object.content);
    const md5 = createHash('md5').update(body).digest('hex');
    // What FilesystemStore keeps (the allowed headers, x-amz-meta-*) plus what it derives on reads.
    const kept = new S3Object(object.bucket, object.key, null, object.metadata).metadata;
    this.objects.set(objectId(object.bucket, object.key), {
      body,
      metadata: {
        ...kept,
        etag: JSON.stringify(md5),
        'last-modified': new Date().toUTCString(),
        'content-length': body.length,
      },
    });
    return { size: body.length, md5 };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    this.objects.delete(objectId(bucket, key));
  }

  reset(): void {
    this.objects.clear();
    this.buckets.clear();
  }

  listObjects(): never {
    return notImplemented('ListObjects');
  }
  copyObject(): never {
    return notImplemented('CopyObject');
  }
  deleteBucket(): never {
    return notImplemented('DeleteBucket');
  }
  putSubresource(): never {
    return notImplemented('a bucket or object configuration');
  }
  deleteSubresource(): never {
    return notImplemented('a bucket or object configuration');
  }
  initiateUpload(): never {
    return notImplemented('multipart uploads');
  }
  putPart(): never {
    return notImplemented('multipart uploads');
  }
  putObjectMultipart(): never {
    return notImplemented('multipart uploads');
  }
}

function objectId(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function notImplemented(operation: string): never {
  throw new S3Error(
    'NotImplemented',
    `${operation}: not supported by the in-memory S3 stand-in (persistence 'memory' keeps objects only); use persistence 'directory'`,
  );
}
