import { HANDLER_ENV } from '../core/config/environment-names.js';
import { loadPipelineConfig, parsePipelineConfig } from '../core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../core/config/schema.js';
import { ConfigError } from '../core/errors.js';

/**
 * The pipeline config from `PIPELINE_CONFIG_JSON` (AWS) or else `PIPELINE_CONFIG_PATH` (local).
 * @throws ConfigError naming the variable, or listing the config's problems by path.
 */
export function pipelineConfigFromEnv(env: NodeJS.ProcessEnv): PipelineConfig {
  const json = env[HANDLER_ENV.configJson];
  if (json !== undefined && json.trim() !== '') {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (error) {
      throw new ConfigError(HANDLER_ENV.configJson, [
        `(variable): expected JSON (${(error as Error).message})`,
      ]);
    }
    return parsePipelineConfig(raw, HANDLER_ENV.configJson);
  }
  const path = env[HANDLER_ENV.configPath];
  if (path !== undefined && path.trim() !== '') return loadPipelineConfig(path);
  throw new ConfigError('environment', [
    `${HANDLER_ENV.configJson}: expected the pipeline config JSON, or ${HANDLER_ENV.configPath} a config file (got neither)`,
  ]);
}
