import * as z from 'zod';
import { InvalidInputError } from '../errors.js';
import { describeIssues } from '../schema/schema-issues.js';

/**
 * What travels on a topic. `id` is deterministic (`<topic>/<key>`, see ids.ts) so a redelivery or
 * a re-publish is recognised and recorded once. Payloads above the inline limit are stored in the
 * blob store and the envelope carries `payloadKey` instead.
 */
export const envelopeSchema = z
  .strictObject({
    v: z.literal(1),
    id: z.string().min(1).max(200),
    topic: z.string().min(1),
    key: z.string().min(1),
    payload: z.unknown().optional(),
    payloadKey: z.string().min(1).optional(),
    attempt: z.number().int().min(0),
    createdAt: z.iso.datetime({ message: 'an ISO-8601 UTC timestamp' }),
  })
  .refine((e) => (e.payload === undefined) !== (e.payloadKey === undefined), {
    message: 'exactly one of payload and payloadKey',
  });

export type Envelope = z.output<typeof envelopeSchema>;

/** Parses a message body (a JSON string from SQS, or an object) into an envelope. */
export function parseEnvelope(body: unknown): Envelope {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new InvalidInputError('message body', [`(body): not JSON: ${(error as Error).message}`], error);
    }
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidInputError('message envelope', describeIssues(parsed.error, value));
  return parsed.data;
}
