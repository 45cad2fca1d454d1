import * as z from 'zod';

/** The programs an executor runs (`executor.program`, `JOB_PROGRAM`): both ship with the repo. */
export const programNameSchema = z.enum(['range', 'aggregate']);

/** `range` proves a block range; `aggregate` folds range proofs into one proof the oracle accepts. */
export type ProgramName = z.output<typeof programNameSchema>;
