import { BaseError, type Hex } from 'viem';
import type { Logger } from '../../core/ports/telemetry.js';
import type { ChainClient as PublicClient } from '../chain-client.js';

/** Node answers that mean "this tx (or one for its nonce) is already known": the watch loop sorts them out. */
const ALREADY_HANDLED =
  /already known|known transaction|already imported|nonce too low|transaction already exists/i;
/** Node answers that mean "these fees are too low now": the caller bumps. */
const UNDERPRICED =
  /underpriced|fee per gas less than block base fee|fee cap less than block base fee|fee too low/i;

/**
 * Sends a signed tx. An answer saying the node already has it (or its nonce is used) is not an
 * error here: the caller watches receipts and the nonce, which say what happened; an answer saying
 * the fees are too low returns `underpriced` so the caller bumps. Any other refusal (insufficient
 * funds, invalid signature) throws.
 */
export async function broadcastRawTransaction(
  client: PublicClient,
  raw: Hex,
  logger: Logger,
): Promise<'sent' | 'known' | 'underpriced'> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
    return 'sent';
  } catch (error) {
    const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
    if (ALREADY_HANDLED.test(text)) {
      logger.debug('tx manager: node already knows the transaction or its nonce', { answer: text });
      return 'known';
    }
    if (UNDERPRICED.test(text)) {
      logger.info('tx manager: node refuses the fees as too low', { answer: text });
      return 'underpriced';
    }
    throw error;
  }
}
