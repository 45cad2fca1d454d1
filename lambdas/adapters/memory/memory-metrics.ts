import type { MetricName, Metrics } from '../../core/ports/telemetry.js';

export interface MetricPoint {
  readonly kind: 'count' | 'gauge';
  readonly name: MetricName;
  readonly value: number;
  readonly dimensions: Record<string, string> | undefined;
}

/** Metrics that keep every data point in memory for assertions. */
export class MemoryMetrics implements Metrics {
  readonly points: MetricPoint[] = [];

  count(name: MetricName, value = 1, dimensions?: Record<string, string>): void {
    this.points.push({ kind: 'count', name, value, dimensions });
  }

  gauge(name: MetricName, value: number, dimensions?: Record<string, string>): void {
    this.points.push({ kind: 'gauge', name, value, dimensions });
  }

  /** Sum of the counts recorded under `name`. */
  total(name: MetricName): number {
    return this.points
      .filter((p) => p.kind === 'count' && p.name === name)
      .reduce((sum, p) => sum + p.value, 0);
  }

  /** The last gauge value recorded under `name`. */
  lastGauge(name: MetricName): number | undefined {
    return this.points.filter((p) => p.kind === 'gauge' && p.name === name).at(-1)?.value;
  }
}
