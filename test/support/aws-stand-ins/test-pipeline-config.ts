import { readFileSync } from 'node:fs';
import type { PipelineConfigInput } from '../../../lambdas/core/config/schema.js';

/**
 * The committed devnet config with small range groups (3 blocks, no max wait), `attempts: 2` and
 * bisection, for handler tests; `l2RpcUrl` replaces the L2 endpoint.
 */
export function testPipelineConfig(name: string, l2RpcUrl = 'http://127.0.0.1:9'): PipelineConfigInput {
  const config = JSON.parse(
    readFileSync(new URL('../../../config/devnet.json', import.meta.url), 'utf8'),
  ) as PipelineConfigInput & {
    stages: { collector: Record<string, unknown>; executor: Record<string, unknown> }[];
  };
  config.name = name;
  config.chains.l2.rpcUrls = [l2RpcUrl];
  const range = config.stages[0]!;
  range.collector = { strategy: 'sequential', keyKind: 'block', groupSize: 3 };
  range.executor = { ...range.executor, attempts: 2, onExhausted: 'bisect' };
  return config;
}
