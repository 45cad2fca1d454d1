/**
 * Exit codes of the prover binaries (executor contract): 0 the output file is written; 1 the program
 * rejected its input, an RPC call or the backend failed (retrying may help); 2 the invocation or the
 * input document is invalid (retrying will not help).
 */
export const proverExitCodes = { ok: 0, failed: 1, invalidInput: 2 } as const;
