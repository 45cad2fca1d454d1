/** Minimal typings for the two in-process AWS stand-ins that ship without declarations. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  import type { Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    /** Where its FilesystemStore keeps objects (unused once `store` is replaced). */
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: string[] }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    httpServer: Server;
    /** The object store its controllers use (`this.context.store`); replaceable before `run()`. */
    store: object;
    context: { store: object };
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }
  export const DUMMY_ACCOUNT: AWSAccount;
}

declare module 's3rver/lib/models/bucket.js' {
  export default class S3Bucket {
    constructor(name: string, creationDate: Date);
    readonly name: string;
    readonly creationDate: Date;
  }
}

declare module 's3rver/lib/models/object.js' {
  import type { Readable } from 'node:stream';

  export default class S3Object {
    /** Keeps the allowed headers, `x-amz-meta-*`, etag, last-modified and content-length of `metadata`. */
    constructor(
      bucket: string,
      key: string,
      content: Readable | null,
      metadata: Record<string, string | number>,
    );
    readonly metadata: Record<string, string | number>;
    range?: { start: number; end: number };
  }
}

declare module 's3rver/lib/models/error.js' {
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
}
