import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC, METRIC_NAMESPACE } from '../../lambdas/core/ports/telemetry.js';
import { findMetricEmissions, type MetricEmission } from './emitted-metrics.js';
import { type Json, useExampleStack } from './pipeline-stack-fixture.js';
import { PROJECT_ROOT } from './synth-pipeline.js';

/** One metric an alarm reads (directly, or as a `MetricStat` of its metric math). */
interface AlarmedMetric {
  readonly alarm: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensionNames: readonly string[];
}

function alarmedMetrics(
  alarms: ReadonlyArray<[string, { Properties: Record<string, Json> }]>,
): AlarmedMetric[] {
  const names = (dimensions: Json): string[] =>
    ((dimensions ?? []) as Array<{ Name: string }>).map((d) => d.Name).sort();
  return alarms.flatMap(([alarm, { Properties: p }]) => {
    const direct =
      p.MetricName === undefined
        ? []
        : [{ alarm, namespace: p.Namespace, metricName: p.MetricName, dimensionNames: names(p.Dimensions) }];
    const inMath = ((p.Metrics ?? []) as Json[])
      .filter((m) => m.MetricStat !== undefined)
      .map(({ MetricStat: { Metric: m } }) => ({
        alarm,
        namespace: m.Namespace,
        metricName: m.MetricName,
        dimensionNames: names(m.Dimensions),
      }));
    return [...direct, ...inMath];
  });
}

/** Alarms on the pipeline's own metrics that no code emits with exactly that name and those dimensions. */
function silentAlarms(alarmed: readonly AlarmedMetric[], emissions: readonly MetricEmission[]): string[] {
  return alarmed
    .filter((a) => !a.namespace.startsWith('AWS/'))
    .filter(
      (a) =>
        a.namespace !== METRIC_NAMESPACE ||
        !emissions.some(
          (e) => e.metricName === a.metricName && e.dimensionNames.join() === a.dimensionNames.join(),
        ),
    )
    .map((a) => `${a.alarm}: ${a.namespace}/${a.metricName} [${a.dimensionNames.join(', ')}]`);
}

describe('every alarm reads a metric the code emits', () => {
  const { ofType } = useExampleStack({});
  const emissions = findMetricEmissions(join(PROJECT_ROOT, 'lambdas'));

  it('finds an emitter for each custom metric an alarm reads (name and dimension names)', () => {
    // Prepare
    const alarmed = alarmedMetrics(ofType('AWS::CloudWatch::Alarm'));
    // Act
    const silent = silentAlarms(alarmed, emissions);
    // Assess
    expect(alarmed.filter((a) => a.namespace === METRIC_NAMESPACE).length).toBeGreaterThan(0);
    expect(silent).toEqual([]);
  });

  it('reads emissions through a METRIC constant, a metric-carrying property and a dimensions const', () => {
    // Prepare / Act: `emissions` above; these are the shapes the scanner must understand
    const has = (metricName: string, dimensionNames: string[]) =>
      emissions.some((e) => e.metricName === metricName && e.dimensionNames.join() === dimensionNames.join());
    // Assess
    expect(has(METRIC.l2Head, ['service'])).toBe(true);
    expect(has(METRIC.breakerOpen, ['service', 'stage'])).toBe(true);
    expect(has(METRIC.budgetWaiting, ['service', 'stage'])).toBe(true);
    expect(has(METRIC.jobSucceeded, ['service', 'stage'])).toBe(true);
    expect(has(METRIC.provenHead, ['service', 'stage'])).toBe(true);
  });

  it('names an alarm whose metric is never emitted, or emitted with other dimensions', () => {
    // Prepare
    const alarmed: AlarmedMetric[] = [
      { alarm: 'Lag', namespace: METRIC_NAMESPACE, metricName: 'NeverEmitted', dimensionNames: ['service'] },
      {
        alarm: 'Head',
        namespace: METRIC_NAMESPACE,
        metricName: METRIC.l2Head,
        dimensionNames: ['service', 'stage'],
      },
      { alarm: 'Errors', namespace: 'AWS/Lambda', metricName: 'Errors', dimensionNames: ['FunctionName'] },
    ];
    // Act
    const silent = silentAlarms(alarmed, emissions);
    // Assess
    expect(silent).toEqual([
      `Lag: ${METRIC_NAMESPACE}/NeverEmitted [service]`,
      `Head: ${METRIC_NAMESPACE}/${METRIC.l2Head} [service, stage]`,
    ]);
  });
});
