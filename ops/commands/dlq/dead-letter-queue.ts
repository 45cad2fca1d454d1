import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** How long a listed or replayed message stays hidden from other readers while the command holds it. */
const HOLD_SECONDS = 30;

/** One dead-lettered message as the operator sees it. */
export interface DeadLetter {
  readonly messageId: string;
  /** The envelope id (`blocks/123`), from the message attribute or the body. */
  readonly envelopeId: string;
  readonly receiveCount: number;
  readonly sentAt: string;
  readonly body: string;
}

/** Messages waiting in the queue at `url` (ApproximateNumberOfMessages). */
export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

/**
 * Reads up to `limit` messages of a dead-letter queue and puts them back at once (visibility 0), so
 * listing moves nothing; each read counts as a receive on the DLQ (no redrive policy there).
 */
export async function listDeadLetters(sqs: SQSClient, url: string, limit: number): Promise<DeadLetter[]> {
  const held = await receiveUpTo(sqs, url, limit);
  for (const message of held)
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  return held.map(deadLetterOf);
}

/**
 * Moves up to `limit` messages of the dead-letter queue `from` back to the queue `to`: each is sent
 * again (body and message attributes unchanged) and only then deleted from the DLQ, so a crash in
 * between sends it twice, never loses it. The dispatcher records by envelope id, so a message that
 * was handled already is a duplicate and changes nothing.
 */
export async function replayDeadLetters(
  sqs: SQSClient,
  from: string,
  to: string,
  limit: number,
): Promise<DeadLetter[]> {
  const held = await receiveUpTo(sqs, from, limit);
  for (const message of held) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: to,
        MessageBody: message.Body ?? '',
        ...(message.MessageAttributes === undefined ? {} : { MessageAttributes: message.MessageAttributes }),
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: from, ReceiptHandle: message.ReceiptHandle }));
  }
  return held.map(deadLetterOf);
}

async function receiveUpTo(sqs: SQSClient, url: string, limit: number): Promise<Message[]> {
  const held = new Map<string, Message>();
  while (held.size < limit) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, limit - held.size),
        VisibilityTimeout: HOLD_SECONDS,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    const fresh = (Messages ?? []).filter((m) => m.MessageId !== undefined && !held.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) held.set(message.MessageId as string, message);
  }
  return [...held.values()];
}

function deadLetterOf(message: Message): DeadLetter {
  const body = message.Body ?? '';
  return {
    messageId: message.MessageId ?? '',
    envelopeId: message.MessageAttributes?.id?.StringValue ?? envelopeIdOfBody(body),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
    body,
  };
}

function envelopeIdOfBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : '(no envelope id)';
  } catch {
    return '(body is not JSON)';
  }
}
