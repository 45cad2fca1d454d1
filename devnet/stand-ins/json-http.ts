import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Answers an HTTP request with `body` as JSON (the AWS JSON protocols' response shape).
 * @param contentType e.g. `application/x-amz-json-1.0` for SQS. @default 'application/json'
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The whole request body as UTF-8 text. */
export async function readRequestBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
