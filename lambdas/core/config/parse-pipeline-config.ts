import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { describeIssues } from '../schema/schema-issues.js';
import { crossCheckPipelineConfig } from './cross-checks.js';
import { type PipelineConfig, pipelineConfigSchema } from './schema.js';

/**
 * Validates a pipeline config object: the schema first, then the cross-field checks.
 * @throws ConfigError listing every problem as `path: what was expected (got value)`.
 */
export function parsePipelineConfig(input: unknown, source = 'object'): PipelineConfig {
  const parsed = pipelineConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, input));
  const problems = crossCheckPipelineConfig(parsed.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

/** Reads and validates a JSON pipeline config file. */
export function loadPipelineConfig(path: string): PipelineConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [`(file): could not read JSON: ${(error as Error).message}`]);
  }
  return parsePipelineConfig(raw, path);
}
