/**
 * Host side of a program: turns an executor request into the guest input, fetching what the guest
 * needs (headers, proofs, config) over RPC. Throws `HostInputError` when the chain disagrees with
 * the request.
 */
export interface Host<Request, Input> {
  prepareInput(request: Request): Promise<Input>;
}
