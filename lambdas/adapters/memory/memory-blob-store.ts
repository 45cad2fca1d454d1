import { InvalidInputError } from '../../core/errors.js';
import type { BlobStore } from '../../core/ports/blob-store.js';

/** BlobStore over a Map; bodies are copied so a caller's later mutation never changes what was stored. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, { body: Uint8Array; contentType: string | undefined }>();

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await Promise.resolve();
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    this.blobs.set(key, { body: bytes, contentType });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    await Promise.resolve();
    const blob = this.blobs.get(key);
    return blob === undefined ? undefined : new Uint8Array(blob.body);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.put(key, JSON.stringify(value), 'application/json');
  }

  async getJson(key: string): Promise<unknown> {
    const body = await this.get(key);
    if (body === undefined) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(body));
    } catch (error) {
      throw new InvalidInputError(`blob ${key}`, [`(body): not JSON: ${(error as Error).message}`], error);
    }
  }

  async exists(key: string): Promise<boolean> {
    await Promise.resolve();
    return this.blobs.has(key);
  }

  /** Stored keys, for assertions. */
  keys(): string[] {
    return [...this.blobs.keys()].sort();
  }
}
