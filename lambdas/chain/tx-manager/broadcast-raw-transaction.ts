import { BaseError, type Hex, type PublicClient } from 'viem';
import type { Logger } from '../../core/ports/telemetry.js';

/** Node answers that mean "this tx (or one for its nonce) is already known": the watch loop sorts them out. */
const ALREADY_HANDLED =
  /already known|known transaction|already imported|nonce too low|replacement transaction underpriced|transaction already exists/i;

/**
 * Sends a signed tx. An answer saying the node already has it (or its nonce is used) is not an
 * error here: the caller watches receipts and the nonce, which say what happened. Any other
 * refusal (insufficient funds, invalid signature) throws.
 */
export async function broadcastRawTransaction(client: PublicClient, raw: Hex, logger: Logger): Promise<'sent' | 'known'> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
    return 'sent';
  } catch (error) {
    const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
    if (ALREADY_HANDLED.test(text)) {
      logger.debug('tx manager: node already knows the transaction or its nonce', { answer: text });
      return 'known';
    }
    throw error;
  }
}
