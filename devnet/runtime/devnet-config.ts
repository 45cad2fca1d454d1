import { z } from 'zod';
import { localPartOf } from '../../lambdas/core/config/config-file-layers.js';
import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { readConfigFile } from '../../lambdas/core/config/read-config-file.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { positiveInt } from '../../lambdas/core/schema/primitives.js';
import { describeIssues } from '../../lambdas/core/schema/schema-issues.js';

/** The `local` section: how the devnet runs the pipeline on one machine. */
export const localConfigSchema = z.strictObject({
  maxParallelJobs: positiveInt.default(2),
  l2BlockTimeSeconds: positiveInt.default(1),
  l1BlockTimeSeconds: positiveInt.default(1),
  sqsVisibilityTimeoutSeconds: positiveInt.default(30),
  sqsMaxReceiveCount: positiveInt.default(5),
});

/** The local layer after defaults (every field has one, so the section may be left out). */
export type LocalConfig = z.output<typeof localConfigSchema>;

/** The devnet's view of a config file: the runtime layer the handlers read, and the local layer. */
export type DevnetConfig = PipelineConfig & { readonly local: LocalConfig };

const localLayerSchema = z.strictObject({ local: localConfigSchema.prefault({}) });

/**
 * Validates a config file's JSON for the devnet: its runtime layer (as the handlers read it) and
 * its `local` section. The deployment layer (`aws`, `monitoring`, …) is the CDK app's and is not read.
 * @throws ConfigError listing every problem as `path: what was expected (got value)`.
 */
export function parseDevnetConfig(raw: unknown, source = 'object'): DevnetConfig {
  const config = parsePipelineConfig(raw, source);
  const part = localPartOf(raw);
  const parsed = localLayerSchema.safeParse(part);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, part));
  return { ...config, local: parsed.data.local };
}

/** Reads a pipeline config file for the devnet (runtime and local layers). */
export function loadDevnetConfig(path: string): DevnetConfig {
  return parseDevnetConfig(readConfigFile(path), path);
}
