import * as z from 'zod';
import { HANDLER_ENV, type HandlerEnvName } from '../core/config/environment-names.js';
import { ConfigError } from '../core/errors.js';

const topicQueueUrlsSchema = z.record(z.string().min(1), z.string().url('a queue URL'));
const batchJobTargetsSchema = z.record(
  z.string().min(1),
  z.strictObject({
    jobQueue: z.string().min(1),
    jobDefinition: z.string().min(1),
    onDemandJobQueue: z.string().min(1).optional(),
  }),
);
const rollupConfigHashSchema = z.string().regex(/^0x[0-9a-f]{64}$/i, 'a 0x-prefixed 32-byte hex sha256');

/** Reads one handler variable, throwing a ConfigError that names it when it is missing or empty. */
export function requireEnv(env: NodeJS.ProcessEnv, name: HandlerEnvName): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError('environment', [`${name}: expected to be set (got nothing)`]);
  }
  return value;
}

/** `TOPIC_QUEUE_URLS` as a topic → queue URL map. */
export function readTopicQueueUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  return parseJsonVariable(env, HANDLER_ENV.topicQueueUrls, topicQueueUrlsSchema);
}

/** `BATCH_JOB_TARGETS` as a stage → { jobQueue, jobDefinition, onDemandJobQueue? } map. */
export function readBatchJobTargets(
  env: NodeJS.ProcessEnv,
): Record<string, { jobQueue: string; jobDefinition: string; onDemandJobQueue?: string | undefined }> {
  return parseJsonVariable(env, HANDLER_ENV.batchJobTargets, batchJobTargetsSchema);
}

/** `ROLLUP_CONFIG_HASH`, lower-cased. */
export function readRollupConfigHash(env: NodeJS.ProcessEnv): string {
  const raw = requireEnv(env, HANDLER_ENV.rollupConfigHash);
  const parsed = rollupConfigHashSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError('environment', [
      `${HANDLER_ENV.rollupConfigHash}: expected a 0x-prefixed 32-byte hex sha256 (got ${JSON.stringify(raw)})`,
    ]);
  }
  return parsed.data.toLowerCase();
}

function parseJsonVariable<T>(env: NodeJS.ProcessEnv, name: HandlerEnvName, schema: z.ZodType<T>): T {
  const raw = requireEnv(env, name);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError('environment', [`${name}: expected JSON (${(error as Error).message})`]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      'environment',
      parsed.error.issues.map(
        (issue) => `${name}${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`,
      ),
    );
  }
  return parsed.data;
}
