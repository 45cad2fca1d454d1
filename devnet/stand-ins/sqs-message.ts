/** A message attribute as the SQS JSON protocol carries it (binary values base64). */
export interface SqsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** One message handed out by `receive`. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Record<string, SqsMessageAttribute>;
  readonly md5OfMessageAttributes?: string;
  readonly attributes: Record<string, string>;
}
