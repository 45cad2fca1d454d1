import * as z from 'zod';

/**
 * What a message key names (`collector.keyKind`): `block` keys `n` cover the block interval (n-1, n];
 * `range` keys `a-b` cover (a, b].
 */
export const keyKindSchema = z.enum(['block', 'range']);

/** One of the message key kinds. */
export type KeyKind = z.output<typeof keyKindSchema>;
