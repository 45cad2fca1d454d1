import { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.js';
import { PowertoolsMetricsAdapter } from '../adapters/aws/powertools-metrics.js';
import { redactingLogger } from '../chain/redacting-logger.js';
import type { PipelineConfig } from '../core/config/schema.js';
import { type Clock, systemClock } from '../core/ports/clock.js';
import type { Logger, Metrics } from '../core/ports/telemetry.js';
import { readRollupConfigHash } from './handler-environment.js';
import { powertoolsLogger, powertoolsMetrics } from './lambda-telemetry.js';
import { once } from './memoize.js';
import { pipelineConfigFromEnv } from './pipeline-config-from-env.js';

/** Replacements for tests and the local runtime; everything else is built from the environment. */
export interface RuntimeOverrides {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
}

/**
 * What every handler's runtime holds: the parsed config, telemetry and the clock. It imports no AWS
 * client and no viem client, so a handler's root adds only the adapters that handler uses.
 */
export interface BaseRuntime {
  readonly config: PipelineConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** The rollup config hash the programs prove with (`ROLLUP_CONFIG_HASH`). */
  rollupConfigHash(): string;
}

/**
 * Parses the config at once (a broken config fails the first invocation with the field named) and
 * wraps the logger in the RPC-URL redaction (URLs from SSM may carry API keys).
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildBaseRuntime(env: NodeJS.ProcessEnv, overrides: RuntimeOverrides = {}): BaseRuntime {
  return {
    config: pipelineConfigFromEnv(env),
    logger: redactingLogger(overrides.logger ?? new PowertoolsLoggerAdapter(powertoolsLogger)),
    metrics: overrides.metrics ?? new PowertoolsMetricsAdapter(powertoolsMetrics),
    clock: overrides.clock ?? systemClock,
    rollupConfigHash: once(() => readRollupConfigHash(env)),
  };
}
