import { MetricUnit, type Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MetricName, Metrics } from '../../core/ports/telemetry.js';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * The core's Metrics port over Powertools Metrics (CloudWatch EMF). Metrics without dimensions are
 * buffered and flushed by the `logMetrics` middleware at the end of the invocation; metrics with
 * dimensions are emitted at once as single metrics, because a buffered EMF document has one
 * dimension set for all its metrics.
 */
export class PowertoolsMetricsAdapter implements Metrics {
  constructor(private readonly metrics: PowertoolsMetrics) {}

  count(name: MetricName, value = 1, dimensions?: Record<string, string>): void {
    this.emit(name, MetricUnit.Count, value, dimensions);
  }

  gauge(name: MetricName, value: number, dimensions?: Record<string, string>): void {
    this.emit(name, unitOf(name), value, dimensions);
  }

  private emit(
    name: MetricName,
    unit: Unit,
    value: number,
    dimensions: Record<string, string> | undefined,
  ): void {
    if (dimensions === undefined || Object.keys(dimensions).length === 0) {
      this.metrics.addMetric(name, unit, value);
      return;
    }
    const single = this.metrics.singleMetric();
    single.addDimensions(dimensions);
    single.addMetric(name, unit, value);
  }
}

function unitOf(name: MetricName): Unit {
  if (name.endsWith('Seconds')) return MetricUnit.Seconds;
  if (name.endsWith('Block') || name.endsWith('Blocks')) return MetricUnit.Count;
  return MetricUnit.NoUnit;
}
