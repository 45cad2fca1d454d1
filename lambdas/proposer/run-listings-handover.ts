import * as z from 'zod';
import type { StoredItem } from '../core/ports/state-store.js';
import type { Logger } from '../core/ports/telemetry.js';
import { describeIssues } from '../core/schema/schema-issues.js';

/** One (kind, status) listing as a proposer run ended with it: every item from sort key `from` on. */
export interface HandedOverListing {
  readonly kind: string;
  readonly status: string;
  readonly from: string;
  readonly items: readonly StoredItem[];
}

/**
 * Above this many characters the listings are not handed over (the next run lists afresh), keeping
 * the lease item far below DynamoDB's 400 KB. The release write carries them and DynamoDB bills a
 * write unit per KB: a steady signer's last 32 tx records (the raw signed tx, and the calldata, of
 * each attempt: about 2 KB for a proposal with a Groth16 proof, 1.5 KB for a checkpoint) with its
 * checkpoints and proposals make about 60 KB, so a release costs some 60 write units where the
 * Queries it saves cost a few read units: cheap per run, paid for fewer calls and a shorter run.
 */
export const LISTINGS_HANDOVER_MAX_CHARS = 128_000;

const storedItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  sortKey: z.string(),
  version: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  expiresAt: z.number().optional(),
});

const handoverSchema = z.object({
  version: z.literal(1),
  listings: z.array(
    z.object({ kind: z.string(), status: z.string(), from: z.string(), items: z.array(storedItemSchema) }),
  ),
});

/** The release's handover text, or undefined when it would exceed `LISTINGS_HANDOVER_MAX_CHARS`. */
export function encodeListingsHandover(listings: readonly HandedOverListing[]): string | undefined {
  const text = JSON.stringify({ version: 1, listings });
  return text.length > LISTINGS_HANDOVER_MAX_CHARS ? undefined : text;
}

/**
 * The listings a handover text holds (none without one). A text that cannot be read costs only the
 * Queries it would have saved: the run lists afresh, and a warning names the lease item and the field.
 */
export function decodeListingsHandover(
  text: string | undefined,
  context: { readonly logger: Logger; readonly leaseId: string },
): HandedOverListing[] {
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    context.logger.warn('proposer: lease handover is not JSON; listing afresh', {
      leaseId: context.leaseId,
      error: (error as Error).message,
    });
    return [];
  }
  const parsed = handoverSchema.safeParse(json);
  if (!parsed.success) {
    context.logger.warn('proposer: lease handover malformed; listing afresh', {
      leaseId: context.leaseId,
      issues: describeIssues(parsed.error, json, 'handover'),
    });
    return [];
  }
  return parsed.data.listings.map((listing) => ({ ...listing, items: listing.items.map(item) }));
}

/** The item without an absent `expiresAt` key (items are compared and written as the store gives them). */
function item(parsed: z.output<typeof storedItemSchema>): StoredItem {
  const { expiresAt, ...rest } = parsed;
  return expiresAt === undefined ? rest : { ...rest, expiresAt };
}
