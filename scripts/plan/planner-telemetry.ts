import type { Logger, Metrics } from '../../lambdas/core/ports/telemetry.js';

/** Error lines kept at most (a stuck run would log the same line all day). */
const KEPT_ERRORS = 20;

/**
 * The planner's Logger: drops debug, info and warn lines (a simulated day of them would cost more
 * than the logic) and keeps the first error lines, which the report prints: an error the
 * pipeline logs in a simulation (a group abandoned, a stage's breaker open) is a finding.
 */
export class PlannerLogger implements Logger {
  readonly errors: string[] = [];

  debug(): void {}
  info(): void {}
  warn(): void {}

  error(message: string, attributes?: Record<string, unknown>): void {
    if (this.errors.length < KEPT_ERRORS) this.errors.push(`${message} ${JSON.stringify(attributes ?? {})}`);
  }
}

/** Metrics that record nothing (the planner measures from its own timeline). */
export const silentMetrics: Metrics = {
  count: () => {},
  gauge: () => {},
};
