import { z } from 'zod';
import { readJsonSnapshot, writeJsonSnapshot } from '../stand-ins/json-snapshot.js';

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((value) => value as `0x${string}`);

/** `.devnet/manifest.json`: where the local chains and contracts are, for people and tests. */
export const devnetManifestSchema = z.object({
  l1: z.object({ rpcUrl: z.string(), chainId: z.number().int() }),
  l2: z.object({ rpcUrl: z.string(), chainId: z.number().int() }),
  contracts: z.object({ l2OutputOracle: address, verifier: address, messagePasser: address }),
  proposer: address,
  /** L2 block of the oracle's starting output (index 0). */
  startingBlock: z.string().regex(/^\d+$/),
  /**
   * Where the running pipeline's AWS stand-ins listen, written once they are up (absent while only the
   * chains run): the operator CLI (`npm run ops`) reaches the local state through them.
   */
  aws: z.object({ dynamodb: z.string(), s3: z.string(), sqs: z.string(), batch: z.string() }).optional(),
});

export type DevnetManifest = z.output<typeof devnetManifestSchema>;

/** Writes the manifest atomically. */
export function writeDevnetManifest(path: string, manifest: DevnetManifest): void {
  writeJsonSnapshot(path, manifest, 2);
}

/** Reads and validates a manifest; undefined when the file does not exist. */
export function readDevnetManifest(path: string): DevnetManifest | undefined {
  const raw = readJsonSnapshot(path);
  if (raw === undefined) return undefined;
  const parsed = devnetManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a devnet manifest: ${parsed.error.message}`);
  return parsed.data;
}
