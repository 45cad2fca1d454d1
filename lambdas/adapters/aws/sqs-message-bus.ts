import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { PipelineError } from '../../core/errors.js';
import type { Envelope } from '../../core/messages/envelope.js';
import type { MessageBus } from '../../core/ports/message-bus.js';

/** SQS accepts at most 10 entries per SendMessageBatch. */
const SQS_BATCH_SIZE = 10;

/** Message attribute names every envelope carries, so consumers and operators can filter without parsing. */
const MESSAGE_ATTRIBUTE = { topic: 'topic', id: 'id' } as const;

export interface SqsMessageBusOptions {
  readonly client: SQSClient;
  /** Queue URL per topic (`TOPIC_QUEUE_URLS`). */
  readonly queueUrls: Readonly<Record<string, string>>;
  /** Send rounds per chunk, first included; failed entries are resent. @default 5 */
  readonly maxAttempts?: number;
  /** Backoff before the n-th resend is `baseDelayMs * 2^(n-1)`. @default 100 */
  readonly baseDelayMs?: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A message that could not be sent after retries, or that SQS refused as the sender's fault. */
export class MessagePublishError extends PipelineError {
  override readonly name: string = 'MessagePublishError';
}

/**
 * MessageBus over SQS, one standard queue per topic. Envelopes are sent with SendMessageBatch in
 * chunks of 10; entries SQS reports as failed are resent with exponential backoff, except
 * sender faults (a malformed message never succeeds by retrying). Ordering and exactly-once are not
 * needed: consumers deduplicate by envelope id in DynamoDB.
 */
export class SqsMessageBus implements MessageBus {
  private readonly client: SQSClient;
  private readonly queueUrls: Readonly<Record<string, string>>;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SqsMessageBusOptions) {
    this.client = options.client;
    this.queueUrls = options.queueUrls;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async publish(envelopes: readonly Envelope[]): Promise<void> {
    const byQueue = new Map<string, Envelope[]>();
    for (const envelope of envelopes) {
      const queueUrl = this.queueUrls[envelope.topic];
      if (queueUrl === undefined) {
        throw new MessagePublishError(`no queue for topic "${envelope.topic}" (message ${envelope.id})`, {
          details: `TOPIC_QUEUE_URLS knows: ${Object.keys(this.queueUrls).join(', ') || 'nothing'}`,
        });
      }
      const queued = byQueue.get(queueUrl);
      if (queued === undefined) byQueue.set(queueUrl, [envelope]);
      else queued.push(envelope);
    }
    for (const [queueUrl, queued] of byQueue) {
      for (let i = 0; i < queued.length; i += SQS_BATCH_SIZE) {
        await this.sendChunk(queueUrl, queued.slice(i, i + SQS_BATCH_SIZE));
      }
    }
  }

  private async sendChunk(queueUrl: string, chunk: readonly Envelope[]): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = chunk.map((envelope, index) => toEntry(envelope, index));
    for (let attempt = 1; ; attempt++) {
      const result = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
      );
      const failed = result.Failed ?? [];
      if (failed.length === 0) return;
      const senderFault = failed.find((f) => f.SenderFault === true);
      if (senderFault !== undefined) {
        throw new MessagePublishError(
          `SQS refused message ${describe(pending, senderFault.Id)}: ${senderFault.Code}`,
          {
            details: senderFault.Message ?? '',
          },
        );
      }
      const failedIds = new Set(failed.map((f) => f.Id));
      pending = pending.filter((entry) => failedIds.has(entry.Id));
      if (attempt >= this.maxAttempts) {
        const first = failed[0];
        throw new MessagePublishError(
          `could not send ${pending.length} message(s) to ${queueUrl} after ${attempt} attempts`,
          {
            details: `first failure: ${describe(pending, first?.Id)} ${first?.Code}: ${first?.Message ?? ''}`,
          },
        );
      }
      await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

function toEntry(envelope: Envelope, index: number): SendMessageBatchRequestEntry {
  return {
    Id: `m${index}`,
    MessageBody: JSON.stringify(envelope),
    MessageAttributes: {
      [MESSAGE_ATTRIBUTE.topic]: { DataType: 'String', StringValue: envelope.topic },
      [MESSAGE_ATTRIBUTE.id]: { DataType: 'String', StringValue: envelope.id },
    },
  };
}

function describe(entries: readonly SendMessageBatchRequestEntry[], entryId: string | undefined): string {
  const entry = entries.find((e) => e.Id === entryId);
  return entry?.MessageAttributes?.[MESSAGE_ATTRIBUTE.id]?.StringValue ?? String(entryId);
}
