import { PipelineError } from '../../../core/errors.js';

/** A Merkle-Patricia proof that does not prove anything about its root: the message names the node. */
export class TrieProofError extends PipelineError {
  override readonly name: string = 'TrieProofError';
}
