import { PipelineError } from '../../core/errors.js';

/**
 * An RPC node answered with data of the wrong shape or data that contradicts itself (a header missing
 * a field, a header that does not hash to its own hash, a block other than the one asked for, a
 * proof that does not verify). It says nothing about the range being proven.
 */
export class RpcAnswerError extends PipelineError {
  override readonly name: string = 'RpcAnswerError';
}
