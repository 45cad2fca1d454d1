import * as z from 'zod';
import { InvalidInputError } from '../errors.js';
import { bytes32Hex, decimalString } from '../schema/primitives.js';
import { describeIssues } from '../schema/schema-issues.js';
import type { Envelope } from './envelope.js';

/**
 * What the watcher puts in a `blocks` message. `gasUsed` (decimal string) is what the gas cut of a
 * range stage reads (`collector.maxGasPerRange`); messages recorded before the watcher carried it
 * lack it. Extra fields are allowed, so an older reader keeps reading a newer watcher's messages.
 */
export const blockPayloadSchema = z.object({
  number: decimalString,
  hash: bytes32Hex,
  parentHash: bytes32Hex,
  gasUsed: decimalString.optional(),
});

/** A `blocks` message payload as the watcher writes it. */
export type BlockPayload = z.input<typeof blockPayloadSchema>;

/**
 * The gas a block message says its block used, or undefined when the message was recorded before
 * the watcher carried `gasUsed`.
 * @throws InvalidInputError naming the message and the payload field that does not validate (a
 *   payload travelling by key counts as missing: the watcher always sends blocks inline).
 */
export function blockGasUsed(envelope: Envelope): bigint | undefined {
  const parsed = blockPayloadSchema.safeParse(envelope.payload);
  if (!parsed.success) {
    throw new InvalidInputError(
      `block message ${envelope.id}`,
      describeIssues(parsed.error, envelope.payload, 'payload'),
    );
  }
  return parsed.data.gasUsed === undefined ? undefined : BigInt(parsed.data.gasUsed);
}
