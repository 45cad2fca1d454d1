import type { SqsMessageAttribute } from './sqs-message.js';

/** One stored copy of a message in the SQS stand-in. */
export interface StoredMessage {
  /** Internal identity of this copy (duplicate deliveries share the MessageId, not the copy). */
  readonly copyId: string;
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Record<string, SqsMessageAttribute>;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Epoch ms from which the message can be received again. */
  visibleAt: number;
  /** The receipt handle of the latest receive. */
  receiptHandle?: string;
}

/** One queue of the SQS stand-in, as held in memory and written to its snapshot. */
export interface StoredQueue {
  readonly name: string;
  readonly createdTimestamp: number;
  attributes: Record<string, string>;
  messages: StoredMessage[];
}
