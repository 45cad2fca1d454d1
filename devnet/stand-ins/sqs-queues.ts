import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from './local-account.js';
import { redrivePolicyOf } from './redrive-policy.js';
import { type MessageDelivery, SqsJournal, type SqsJournalEntry } from './sqs-journal.js';
import type { ReceivedMessage, SqsMessageAttribute } from './sqs-message.js';
import { md5OfBody, md5OfMessageAttributes } from './sqs-message-md5.js';
import { SqsSendSignal } from './sqs-send-signal.js';
import { SqsStandInError } from './sqs-stand-in-error.js';
import type { StoredMessage, StoredQueue } from './sqs-stored-queue.js';

const DEFAULT_ATTRIBUTES: Record<string, string> = {
  VisibilityTimeout: '30',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  MaximumMessageSize: '262144',
};

/** Fault hooks for tests of at-least-once delivery. */
export interface SqsFaults {
  /** Every sent message is stored twice (same MessageId), so consumers see each one twice. */
  deliverEveryMessageTwice?: boolean;
}

/**
 * The SQS semantics the handlers rely on, in memory, persisted (with `snapshotPath`) as a snapshot
 * plus an append-only journal of every change (`SqsJournal`) so a restart resumes: visibility
 * timeout, receive counts, redrive to a dead-letter queue once a message was received
 * `maxReceiveCount` times (the `RedrivePolicy` attribute), purge.
 */
export class SqsQueues {
  private readonly queues: Map<string, StoredQueue>;
  private readonly journal: SqsJournal | undefined;
  /** Fires after each send, per queue: local event sources wake on it. */
  readonly sent = new SqsSendSignal();

  constructor(
    private readonly options: {
      snapshotPath?: string;
      faults?: SqsFaults;
      now?: () => number;
      /** Journal lines between compactions (tests). */
      compactAfterEntries?: number;
    } = {},
  ) {
    this.journal =
      options.snapshotPath === undefined
        ? undefined
        : new SqsJournal(options.snapshotPath, options.compactAfterEntries);
    this.queues = this.journal?.load() ?? new Map();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Journals one change (applied in memory already) before the call that made it returns. */
  private persist(entry: SqsJournalEntry): void {
    this.journal?.append(entry, () => this.queues.values());
  }

  private persistQueue(queue: StoredQueue): void {
    const { messages: _messages, ...rest } = queue;
    this.persist({ op: 'queue', queue: rest });
  }

  /** ARN of a local queue. */
  static arnOf(name: string, region: string): string {
    return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
  }

  /** Creates the queue (or, like SQS, returns the existing one when the attributes agree). */
  createQueue(name: string, attributes: Record<string, string> = {}): void {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new SqsStandInError(
        'InvalidParameterValue',
        'InvalidParameterValue',
        `invalid queue name "${name}"`,
      );
    }
    const existing = this.queues.get(name);
    if (existing !== undefined) {
      for (const [key, value] of Object.entries(attributes)) {
        if (existing.attributes[key] !== value) {
          throw new SqsStandInError(
            'QueueNameExists',
            'QueueAlreadyExists',
            `queue "${name}" exists with a different ${key}`,
          );
        }
      }
      return;
    }
    const queue = {
      name,
      createdTimestamp: this.now(),
      attributes: { ...DEFAULT_ATTRIBUTES, ...attributes },
      messages: [],
    };
    this.queues.set(name, queue);
    this.persistQueue(queue);
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  private queue(name: string): StoredQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) {
      throw new SqsStandInError(
        'QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        `The specified queue "${name}" does not exist.`,
      );
    }
    return queue;
  }

  setAttributes(name: string, attributes: Record<string, string>): void {
    const queue = this.queue(name);
    Object.assign(queue.attributes, attributes);
    this.persistQueue(queue);
  }

  /** Queue attributes including the approximate counts, like GetQueueAttributes `All`. */
  getAttributes(name: string, region: string): Record<string, string> {
    this.redriveExpired(name);
    const queue = this.queue(name);
    const now = this.now();
    const visible = queue.messages.filter((message) => message.visibleAt <= now);
    return {
      ...queue.attributes,
      QueueArn: SqsQueues.arnOf(name, region),
      ApproximateNumberOfMessages: String(visible.length),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible.length),
      ApproximateNumberOfMessagesDelayed: '0',
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    };
  }

  /** Stores one message; returns its MessageId and the MD5 of its body. */
  send(
    name: string,
    body: string,
    messageAttributes: Record<string, SqsMessageAttribute> = {},
    delaySeconds = 0,
  ): { messageId: string; md5OfBody: string; md5OfMessageAttributes?: string } {
    const queue = this.queue(name);
    if (body.length === 0) {
      throw new SqsStandInError(
        'MissingParameter',
        'MissingParameter',
        'The request must contain the parameter MessageBody.',
      );
    }
    if (Buffer.byteLength(body) > Number(queue.attributes.MaximumMessageSize ?? '262144')) {
      throw new SqsStandInError('InvalidParameterValue', 'InvalidParameterValue', 'message body is too long');
    }
    const messageId = randomUUID();
    const now = this.now();
    const copies = this.options.faults?.deliverEveryMessageTwice === true ? 2 : 1;
    const sent: StoredMessage[] = [];
    for (let copy = 0; copy < copies; copy += 1) {
      sent.push({
        copyId: randomUUID(),
        messageId,
        body,
        messageAttributes,
        sentTimestamp: now,
        receiveCount: 0,
        visibleAt: now + delaySeconds * 1000,
      });
    }
    queue.messages.push(...sent);
    this.persist({ op: 'sent', queue: name, messages: sent });
    this.sent.notify(name);
    const attributesMd5 = md5OfMessageAttributes(messageAttributes);
    return {
      messageId,
      md5OfBody: md5OfBody(body),
      ...(attributesMd5 === undefined ? {} : { md5OfMessageAttributes: attributesMd5 }),
    };
  }

  /**
   * Receives up to `maxMessages` visible messages and hides them for `visibilityTimeoutSeconds`
   * (the queue's VisibilityTimeout when absent). Messages already received `maxReceiveCount`
   * times move to the dead-letter queue instead of being delivered.
   */
  receive(name: string, maxMessages = 1, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    this.redriveExpired(name);
    const queue = this.queue(name);
    const now = this.now();
    const timeout = visibilityTimeoutSeconds ?? Number(queue.attributes.VisibilityTimeout ?? '30');
    const received: ReceivedMessage[] = [];
    const deliveries: MessageDelivery[] = [];
    for (const message of queue.messages) {
      if (received.length >= maxMessages) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + timeout * 1000;
      message.receiptHandle = `${message.copyId}:${randomUUID()}`;
      deliveries.push(deliveryOf(message));
      const attributesMd5 = md5OfMessageAttributes(message.messageAttributes);
      received.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        md5OfBody: md5OfBody(message.body),
        messageAttributes: message.messageAttributes,
        ...(attributesMd5 === undefined ? {} : { md5OfMessageAttributes: attributesMd5 }),
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentTimestamp),
          ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
          SenderId: LOCAL_ACCOUNT_ID,
        },
      });
    }
    if (deliveries.length > 0) this.persist({ op: 'delivered', queue: name, deliveries });
    return received;
  }

  /** Deletes the message a receipt handle points at; an unknown handle is a no-op, as on SQS. */
  delete(name: string, receiptHandle: string): void {
    const queue = this.queue(name);
    const copyId = copyIdOf(receiptHandle);
    const before = queue.messages.length;
    queue.messages = queue.messages.filter((message) => message.copyId !== copyId);
    if (queue.messages.length !== before) this.persist({ op: 'deleted', queue: name, copyIds: [copyId] });
  }

  /** Sets a received message's remaining invisibility (0 makes it visible now). */
  changeVisibility(name: string, receiptHandle: string, visibilityTimeoutSeconds: number): void {
    const queue = this.queue(name);
    const copyId = copyIdOf(receiptHandle);
    const message = queue.messages.find((candidate) => candidate.copyId === copyId);
    if (message === undefined || message.receiptHandle !== receiptHandle) {
      throw new SqsStandInError(
        'ReceiptHandleIsInvalid',
        'ReceiptHandleIsInvalid',
        `The receipt handle "${receiptHandle}" is not valid for this queue.`,
      );
    }
    message.visibleAt = this.now() + visibilityTimeoutSeconds * 1000;
    this.persist({ op: 'delivered', queue: name, deliveries: [deliveryOf(message)] });
  }

  purge(name: string): void {
    this.queue(name).messages = [];
    this.persist({ op: 'purged', queue: name });
  }

  /** Moves visible messages whose receive count reached the redrive limit to the dead-letter queue. */
  private redriveExpired(name: string): void {
    const queue = this.queue(name);
    const policy = redrivePolicyOf(queue.attributes.RedrivePolicy);
    if (policy === undefined) return;
    const target = this.queues.get(policy.deadLetterQueueName);
    if (target === undefined) return;
    const now = this.now();
    const moving = queue.messages.filter(
      (message) => message.visibleAt <= now && message.receiveCount >= policy.maxReceiveCount,
    );
    if (moving.length === 0) return;
    queue.messages = queue.messages.filter((message) => !moving.includes(message));
    const arriving = moving.map((message) => ({ ...message, receiveCount: 0, visibleAt: now }));
    target.messages.push(...arriving);
    this.persist({ op: 'redriven', queue: name, target: target.name, messages: arriving });
  }
}

function deliveryOf(message: StoredMessage): MessageDelivery {
  const { copyId, receiveCount, firstReceiveTimestamp, visibleAt, receiptHandle } = message;
  return {
    copyId,
    receiveCount,
    visibleAt,
    ...(firstReceiveTimestamp === undefined ? {} : { firstReceiveTimestamp }),
    ...(receiptHandle === undefined ? {} : { receiptHandle }),
  };
}

function copyIdOf(receiptHandle: string): string {
  return receiptHandle.split(':')[0] ?? '';
}
