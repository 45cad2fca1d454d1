import { PipelineError } from '../../lambdas/core/errors.js';

/**
 * The guest refused its input: a check the program enforces failed (gap between ranges, broken
 * parent-hash chain, config mismatch, …). `check` is a stable name of the failed check; the message
 * says which block or range and what was expected. A real zkVM would fail to produce a proof here.
 */
export class GuestRejectedError extends PipelineError {
  override readonly name: string = 'GuestRejectedError';
  readonly program: string;
  readonly check: string;

  constructor(program: string, check: string, message: string) {
    super(`${program} program rejected its input [${check}]: ${message}`);
    this.program = program;
    this.check = check;
  }
}

/** The host could not prepare the guest input (RPC data missing or disagreeing with the request). */
export class HostInputError extends PipelineError {
  override readonly name: string = 'HostInputError';
}

/** A zkVM backend failed (external prover exited non-zero, wrote no artifact, or a proof did not verify). */
export class ProverBackendError extends PipelineError {
  override readonly name: string = 'ProverBackendError';
}
