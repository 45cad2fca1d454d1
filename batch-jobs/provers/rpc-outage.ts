import { RpcAnswerError } from '../../lambdas/chain/l2-state/rpc-answer-error.js';

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
    // viem's errors are known by `name`; a garbled answer is our RpcAnswerError or a subclass of it.
    if (current instanceof RpcAnswerError) return true;
    if ([current.name, current.constructor.name].some((name) => TRANSPORT_ERROR_NAMES.has(name))) return true;
    current = current.cause;
  }
  return false;
}
