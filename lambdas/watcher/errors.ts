import { PipelineError } from '../core/errors.js';

/**
 * The L2 RPC answered a request for a finalized/safe tag or a block number with a pending block
 * (no number or hash): the node is misconfigured or still syncing; the next run asks again.
 */
export class PendingL2BlockError extends PipelineError {
  override readonly name: string = 'PendingL2BlockError';
  /** What was asked for: `tag "finalized"` or `block 123`. */
  readonly requested: string;

  constructor(requested: string) {
    super(`the L2 RPC answered ${requested} with a pending block (no number or hash)`, {
      details: 'the watcher only reads sealed blocks; check that the L2 node is synced and serves this tag',
    });
    this.requested = requested;
  }
}
