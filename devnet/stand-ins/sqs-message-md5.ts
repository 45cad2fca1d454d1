import { createHash } from 'node:crypto';
import type { SqsMessageAttribute } from './sqs-message.js';

/** MD5 hex digest, as SQS reports for bodies. */
export function md5OfBody(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

/** MD5 of message attributes as SQS computes it (sorted names, length-prefixed fields). */
export function md5OfMessageAttributes(attributes: Record<string, SqsMessageAttribute>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lengthPrefixed = (value: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    parts.push(length, value);
  };
  for (const name of names) {
    const attribute = attributes[name] as SqsMessageAttribute;
    lengthPrefixed(Buffer.from(name));
    lengthPrefixed(Buffer.from(attribute.DataType));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? ''));
    }
  }
  return md5OfBody(Buffer.concat(parts));
}
