import { INFRASTRUCTURE_EXIT_CODE } from '../../lambdas/core/executor/failure-class.js';

/**
 * Exit codes of the prover binaries (executor contract): 0 the output file is written; 1 the program
 * rejected its input or the backend failed (a prover failure: it counts toward bisection); 2 the
 * invocation or the input document is invalid (retrying will not help); 75 an RPC outage (timeouts,
 * 429 / 5xx, unreachable or garbled answers): an infrastructure failure, retried apart.
 */
export const proverExitCodes = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  infrastructure: INFRASTRUCTURE_EXIT_CODE,
} as const;
