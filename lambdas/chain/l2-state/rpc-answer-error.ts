import { PipelineError } from '../../core/errors.js';

/** An RPC node answered with data of the wrong shape (a header missing a field, a malformed proof). */
export class RpcAnswerError extends PipelineError {}
