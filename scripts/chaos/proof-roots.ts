import type { MemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { keyInterval } from '../../lambdas/core/messages/ids.js';
import {
  messageData,
  messageKind,
  messagePayload,
} from '../../lambdas/core/orchestrator/messages/message-records.js';
import type { StoredItem } from '../../lambdas/core/ports/state-store.js';

/** A proof message as the checker sees it: the roots its payload claims and the attempt that made it. */
export interface ProofRoots {
  readonly id: string;
  readonly status: string;
  readonly start: bigint;
  readonly end: bigint;
  /** The envelope attempt: the producing group's attempt when it was published. */
  readonly attempt: number;
  readonly preRoot: string;
  readonly postRoot: string;
}

interface ClaimedRoots {
  readonly bootInfo?: { readonly l2PreRoot: string; readonly l2PostRoot: string };
  readonly outputs?: { readonly l2PreRoot: string; readonly claimRoot: string };
}

/** Every stage's proof messages in the store with the roots their payloads claim (range and aggregate). */
export async function readProofRoots(
  config: PipelineConfig,
  items: readonly StoredItem[],
  blobs: MemoryBlobStore,
): Promise<ProofRoots[]> {
  const kinds = new Set(config.stages.map((stage) => messageKind(stage.outputTopic)));
  const proofs: ProofRoots[] = [];
  for (const item of items) {
    if (!kinds.has(item.kind)) continue;
    const { envelope } = messageData(item);
    const claimed = (await messagePayload(blobs, envelope)) as ClaimedRoots;
    const preRoot = claimed.bootInfo?.l2PreRoot ?? claimed.outputs?.l2PreRoot ?? '(none)';
    const postRoot = claimed.bootInfo?.l2PostRoot ?? claimed.outputs?.claimRoot ?? '(none)';
    const { start, end } = keyInterval(envelope.key, 'range');
    proofs.push({
      id: item.id,
      status: item.status,
      start,
      end,
      attempt: envelope.attempt,
      preRoot,
      postRoot,
    });
  }
  return proofs;
}
