import { RpcAnswerError } from './rpc-answer-error.js';

/**
 * The message-passer storage root of an L2 block cannot be established: the node does not know the
 * block, its `eth_getProof` answer does not belong to the block (does not verify against its
 * `stateRoot`), or the block's state has no message passer. An answer the node got wrong, so an
 * `RpcAnswerError`: a prover reports it as an infrastructure failure, never as a bad range.
 */
export class MessagePasserProofError extends RpcAnswerError {
  override readonly name: string = 'MessagePasserProofError';
}
