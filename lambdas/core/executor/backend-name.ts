import * as z from 'zod';

/**
 * The zkVM backends (`executor.backend`, and `backend` in result documents): `mock` executes the
 * TypeScript guest with SP1 mock semantics, `sp1` runs the SP1 GPU prover, `binary` another prover
 * executable.
 */
export const backendNameSchema = z.enum(['mock', 'sp1', 'binary']);

/** One of the zkVM backend names. */
export type BackendName = z.output<typeof backendNameSchema>;
