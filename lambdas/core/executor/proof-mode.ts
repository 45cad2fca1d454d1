import * as z from 'zod';

/** SP1 proof modes: `compressed` for ranges (recursively verifiable), `groth16`/`plonk` for L1. */
export const proofModeSchema = z.enum(['core', 'compressed', 'groth16', 'plonk']);
