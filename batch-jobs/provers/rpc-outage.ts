/**
 * viem error names of a transport or node failure (timeouts, HTTP and socket errors, 429 / 5xx
 * answers, node-internal errors) rather than an answer about the chain.
 */
const TRANSPORT_ERROR_NAMES = new Set([
  'HttpRequestError',
  'TimeoutError',
  'WebSocketRequestError',
  'SocketClosedError',
  'RpcRequestError',
  'LimitExceededRpcError',
  'InternalRpcError',
  'ResourceUnavailableRpcError',
  'UnknownRpcError',
]);

/** Our own error for an RPC answer of the wrong shape (a garbled header or proof). */
const GARBLED_ANSWER_ERROR_NAME = 'RpcAnswerError';

/** Cause-chain links followed at most (chains may be cyclic). */
const MAX_CAUSES = 8;

/**
 * Whether `error`, or an error in its cause chain, is an RPC outage: the node could not be reached,
 * timed out, rate-limited us, failed internally or sent a garbled answer. Such a failure says
 * nothing about the range, so the prover reports it as an infrastructure failure.
 */
export function isRpcOutage(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && current instanceof Error; depth += 1) {
    // viem sets `name`; our PipelineError subclasses are known by their class.
    const names = [current.name, current.constructor.name];
    if (names.some((name) => TRANSPORT_ERROR_NAMES.has(name) || name === GARBLED_ANSWER_ERROR_NAME))
      return true;
    current = current.cause;
  }
  return false;
}
