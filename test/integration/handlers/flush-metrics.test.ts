import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushMetrics } from '../../../lambdas/handlers/flush-metrics.js';

const context = { functionName: 'test-fn', awsRequestId: 'req-1' } as Context;

function captureOutput(): { lines: () => string[] } {
  const written: string[] = [];
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      written.push(args.map(String).join(' '));
    });
  }
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
  };
}

describe('flushMetrics middleware', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('publishes recorded metrics as one EMF document after the invocation', async () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'RollupProver', serviceName: 'test' });
    const output = captureOutput();
    const handler = middy(async () => {
      metrics.addMetric('Proposals', MetricUnit.Count, 2);
      return 'done';
    }).use(flushMetrics(metrics));
    // Act
    await handler({}, context);
    // Assess
    const emf = output.lines().filter((line) => line.includes('"_aws"'));
    const proposals = emf.map((line) => JSON.parse(line)).find((doc) => doc.Proposals !== undefined);
    expect(proposals?.Proposals).toBe(2);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes nothing and warns nothing when the invocation recorded no metric', async () => {
    // Prepare: cold start already captured by an earlier invocation
    const metrics = new Metrics({ namespace: 'RollupProver', serviceName: 'test' });
    const warm = middy(async () => 'warm-up').use(flushMetrics(metrics));
    await warm({}, context);
    const output = captureOutput();
    const handler = middy(async () => 'nothing to report').use(flushMetrics(metrics));
    // Act
    await handler({}, context);
    // Assess
    expect(output.lines().filter((line) => line.includes('No application metrics'))).toEqual([]);
    expect(output.lines().filter((line) => line.includes('"_aws"'))).toEqual([]);
  });
});
