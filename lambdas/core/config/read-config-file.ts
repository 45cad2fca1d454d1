import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/**
 * The JSON of a pipeline config file, unvalidated: each reader (runtime, deployment, local) then
 * validates its own part.
 * @throws ConfigError naming the file when it cannot be read or is not JSON.
 */
export function readConfigFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [`(file): could not read JSON: ${(error as Error).message}`]);
  }
}
