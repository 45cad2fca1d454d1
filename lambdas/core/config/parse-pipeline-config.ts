import { ConfigError } from '../errors.js';
import { describeIssues } from '../schema/schema-issues.js';
import { runtimePartOf } from './config-file-layers.js';
import { crossCheckPipelineConfig } from './cross-checks.js';
import { readConfigFile } from './read-config-file.js';
import { type PipelineConfig, pipelineConfigSchema } from './schema.js';

/**
 * Validates the runtime part of a pipeline config (a whole config file's JSON is fine: the
 * deployment and local layers are left to their readers): the schema first, strictly (an unknown
 * field of the runtime part is refused), then the runtime cross-field checks.
 * @throws ConfigError listing every problem as `path: what was expected (got value)`.
 */
export function parsePipelineConfig(input: unknown, source = 'object'): PipelineConfig {
  const part = runtimePartOf(input);
  const parsed = pipelineConfigSchema.safeParse(part);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, part));
  const problems = crossCheckPipelineConfig(parsed.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

/** Reads a JSON pipeline config file and validates its runtime part. */
export function loadPipelineConfig(path: string): PipelineConfig {
  return parsePipelineConfig(readConfigFile(path), path);
}
