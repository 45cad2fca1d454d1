import type { SqsMessageAttribute } from './sqs-message.js';
import { SqsStandInError } from './sqs-stand-in-error.js';

/** A JSON protocol request body. */
export type SqsRequest = Record<string, unknown>;

/** A string field of a request; MissingParameter when absent. */
export function requiredString(request: SqsRequest, field: string): string {
  const value = request[field];
  if (typeof value !== 'string') {
    throw new SqsStandInError(
      'MissingParameter',
      'MissingParameter',
      `The request must contain the parameter ${field}.`,
    );
  }
  return value;
}

/** The queue a request's QueueUrl names (its last path segment). */
export function queueNameOf(request: SqsRequest): string {
  const url = requiredString(request, 'QueueUrl');
  return url.slice(url.lastIndexOf('/') + 1);
}

/** The Entries of a batch request: 1 to 10, as SQS allows. */
export function entriesOf(request: SqsRequest): SqsRequest[] {
  if (!Array.isArray(request.Entries) || request.Entries.length === 0) {
    throw new SqsStandInError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'no entries');
  }
  if (request.Entries.length > 10) {
    throw new SqsStandInError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      'at most 10 entries per batch',
    );
  }
  return request.Entries as SqsRequest[];
}

/** A string map field (queue attributes), values stringified; empty when absent. */
export function stringRecord(value: unknown): Record<string, string> {
  if (value === undefined || value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, String(entry)]),
  );
}

/** A message attributes field as sent; empty when absent. */
export function attributeRecord(value: unknown): Record<string, SqsMessageAttribute> {
  if (value === undefined || value === null || typeof value !== 'object') return {};
  return value as Record<string, SqsMessageAttribute>;
}
