import { blockPayloadSchema } from '../../messages/block-payload.js';
import { blockKey, messageId } from '../../messages/ids.js';
import { messageData } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** The hash of canonical L2 block `n` as the L2 node answers now. */
export type CanonicalHash = (n: bigint) => Promise<string>;

/** Where the walk ended: the common ancestor, or none within `maxReorgDepth`. */
export type AncestorSearch =
  | { readonly found: true; readonly ancestor: bigint; readonly hash: string }
  | { readonly found: false; readonly lowest: bigint };

/**
 * Walks down from the watcher cursor to the highest block whose enqueued hash (the stored block
 * message's payload; stored data is the source of truth, the cursor's own hash for a cursor block
 * whose message is not recorded yet) equals the canonical hash. At most `watcher.maxReorgDepth`
 * blocks below the cursor; the origin (`chains.l2.startBlock`) is the floor: nothing is below it.
 * An invalidated or missing message never matches, so the walk goes on below it (a deeper rewind
 * is safe, a shallower one is not).
 */
export async function findCommonAncestor(
  deps: Pick<OrchestratorDeps, 'config' | 'store'>,
  cursor: { readonly position: bigint; readonly hash?: string },
  canonicalHash: CanonicalHash,
): Promise<AncestorSearch> {
  const origin = BigInt(deps.config.chains.l2.startBlock);
  const lowest = maxBigInt(origin, cursor.position - BigInt(deps.config.watcher.maxReorgDepth));
  for (let k = cursor.position; k >= lowest; k--) {
    const canonical = await canonicalHash(k);
    if (k === origin) return { found: true, ancestor: k, hash: canonical };
    const enqueued = (await storedBlockHash(deps, k)) ?? (k === cursor.position ? cursor.hash : undefined);
    if (enqueued !== undefined && enqueued.toLowerCase() === canonical.toLowerCase())
      return { found: true, ancestor: k, hash: canonical };
  }
  return { found: false, lowest };
}

async function storedBlockHash(
  deps: Pick<OrchestratorDeps, 'config' | 'store'>,
  n: bigint,
): Promise<string | undefined> {
  const item = await deps.store.get(messageId(deps.config.watcher.outputTopic, blockKey(n)));
  if (item === undefined || item.status === 'invalidated') return undefined;
  const payload = blockPayloadSchema.safeParse(messageData(item).envelope.payload);
  return payload.success ? payload.data.hash : undefined;
}

function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
