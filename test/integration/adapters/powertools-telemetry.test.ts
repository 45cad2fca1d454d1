import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PowertoolsLoggerAdapter } from '../../../lambdas/adapters/aws/powertools-logger.js';
import { PowertoolsMetricsAdapter } from '../../../lambdas/adapters/aws/powertools-metrics.js';
import { METRIC, METRIC_NAMESPACE } from '../../../lambdas/core/ports/telemetry.js';

describe('Powertools telemetry adapters', () => {
  let lines: Record<string, unknown>[];

  beforeEach(() => {
    lines = [];
    const capture = (chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('emits EMF: dimensioned metrics at once, plain metrics at flush, with units from the name', () => {
    // Prepare
    const powertools = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'test' });
    const metrics = new PowertoolsMetricsAdapter(powertools);

    // Act
    metrics.count(METRIC.jobFailed, 1, { stage: 'range' });
    metrics.gauge(METRIC.l2Head, 1234);
    metrics.gauge(METRIC.proposalLagSeconds, 42);
    powertools.publishStoredMetrics();

    // Assess
    const [single, flushed] = lines;
    expect(single).toMatchObject({ JobFailed: 1, stage: 'range', service: 'test' });
    expect(single?._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'RollupProver', Metrics: [{ Name: 'JobFailed', Unit: 'Count' }] }],
    });
    expect(flushed).toMatchObject({ L2HeadBlock: 1234, ProposalLagSeconds: 42 });
    const emf = flushed?._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
    const units = Object.fromEntries(emf.CloudWatchMetrics[0]!.Metrics.map((m) => [m.Name, m.Unit]));
    expect(units).toEqual({ L2HeadBlock: 'Count', ProposalLagSeconds: 'Seconds' });
  });

  it('logs JSON lines with the attributes as keys', () => {
    // Prepare
    const logger = new PowertoolsLoggerAdapter(new Logger({ serviceName: 'test' }));

    // Act
    logger.warn('job failed', { groupId: 'range/0-3', attempt: 2 });

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'job failed',
        groupId: 'range/0-3',
        attempt: 2,
        service: 'test',
      }),
    ]);
  });
});
