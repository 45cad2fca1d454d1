/**
 * Settings every AWS SDK client of the pipeline's adapters is built with (DynamoDB, S3, SQS, Batch),
 * spread into its constructor's config: `new DynamoDBClient({ ...SDK_CLIENT_SETTINGS })`.
 *
 * `cacheMiddleware`: the SDK resolves a client's middleware stack (sorting ~30 middlewares into a
 * handler chain) once per command class instead of on every `send`. Measured against dynalite in
 * memory (PutItem + GetItem, 2,000 each): ~0.5 → ~0.45 ms of CPU per call, with the state store
 * marshalling its items itself (`DynamoDBDocumentClient` refuses the setting). The requests sent are
 * the same. What it requires, and the adapters keep: no middleware is added to a client or a
 * command after its first request (`scripts/sdk-call-counts.ts` adds its counter before), and one
 * client talks to one S3 bucket (the cached handler shares one context between concurrent
 * requests, and on AWS an S3 endpoint is per bucket; `S3BlobStore` has one bucket).
 */
export const SDK_CLIENT_SETTINGS = { cacheMiddleware: true } as const;
