/**
 * Large artifacts under deterministic keys (S3 on AWS, s3rver locally): executor
 * inputs and outputs, proofs. Keys are made by `blob-keys.ts`; nothing large passes through
 * the bus or the state store.
 */
export interface BlobStore {
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** Returns undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  putJson(key: string, value: unknown): Promise<void>;
  /** Returns undefined when the key does not exist; throws on invalid JSON naming the key. */
  getJson(key: string): Promise<unknown>;
  exists(key: string): Promise<boolean>;
}
