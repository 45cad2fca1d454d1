import * as z from 'zod';

/** The L2 block tag the watcher follows (`chains.l2.finality`): `finalized` or the faster `safe`. */
export const l2FinalitySchema = z.enum(['finalized', 'safe']);

/** The L2 head tag the watcher reads. */
export type L2Finality = z.output<typeof l2FinalitySchema>;
