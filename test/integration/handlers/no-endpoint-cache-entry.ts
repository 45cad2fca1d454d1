import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * Bundled by `no-endpoint-cache.test.ts` with the Lambda bundle settings (so `@aws-sdk/endpoint-cache`
 * is the stub): one GetItem to the regional endpoint, answered by an in-process request handler that
 * records where it was sent; prints the hostname and the item's key.
 */
const sent: string[] = [];
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
  requestHandler: {
    async handle(request: { hostname: string }) {
      sent.push(request.hostname);
      const body = JSON.stringify({ Item: { id: { S: 'cursor/range' } } });
      const { Readable } = await import('node:stream');
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
  },
});
const answer = await client.send(
  new GetItemCommand({ TableName: 'state', Key: { id: { S: 'cursor/range' } } }),
);
console.log(JSON.stringify({ sent, id: answer.Item?.id?.S }));
