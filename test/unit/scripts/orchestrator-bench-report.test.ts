import { describe, expect, it } from 'vitest';
import {
  type OrchestratorBenchFigures,
  orchestratorBenchJson,
  orchestratorBenchReport,
} from '../../../scripts/orchestrator-bench-report.js';

function figures(calls: OrchestratorBenchFigures['calls']): OrchestratorBenchFigures {
  return {
    configPath: 'config/devnet.json',
    store: 'stand-ins',
    blocks: { startBlock: 0n, endBlock: 100n },
    wallSeconds: 4,
    cpuSeconds: 5,
    calls,
    sanity: { ok: true, description: 'fine', rangeGroups: 20, aggregateGroups: 10 },
    jobsSubmitted: 30,
    proposerWakeups: 20,
    dispatchFailures: 0,
    jobCompletionErrors: 0,
  };
}

describe('orchestratorBenchJson', () => {
  it('gives blocks per second and calls per block by service, the total and each command', () => {
    // Prepare
    const calls = {
      DynamoDBClient: { GetItemCommand: 150, PutItemCommand: 100 },
      SQSClient: { SendMessageBatchCommand: 10 },
      S3Client: { PutObjectCommand: 30, GetObjectCommand: 30 },
    };

    // Act
    const json = orchestratorBenchJson(figures(calls));

    // Assess
    expect(json.blocksPerSecond).toBe(25);
    expect(json.awsCallsPerBlock).toEqual({ total: 3.2, dynamodb: 2.5, sqs: 0.1, s3: 0.6, batch: 0 });
    expect(json.byCommand).toEqual({
      'DynamoDB GetItemCommand': 1.5,
      'DynamoDB PutItemCommand': 1,
      'SQS SendMessageBatchCommand': 0.1,
      'S3 PutObjectCommand': 0.3,
      'S3 GetObjectCommand': 0.3,
    });
    expect(json.blocksPerCpuSecond).toBe(20);
    expect(json.msPerAwsCall).toEqual({ wall: 12.5, cpu: 15.625, storageStandInsCpu: null });
    expect(json.jobsSubmittedPerBlock).toBe(0.3);
    expect(json.proposerWakeupsPerBlock).toBe(0.2);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("gives the stand-ins' own process CPU per call when they ran in one", () => {
    // Prepare
    const calls = { DynamoDBClient: { PutItemCommand: 400 } };

    // Act
    const json = orchestratorBenchJson({ ...figures(calls), storageStandInsCpuSeconds: 1.5 });
    const report = orchestratorBenchReport({ ...figures(calls), storageStandInsCpuSeconds: 1.5 });

    // Assess
    expect(json.msPerAwsCall).toEqual({ wall: 10, cpu: 12.5, storageStandInsCpu: 3.75 });
    expect(report).toContain(
      "ms per AWS call: wall 10, this process's CPU 12.5, stand-ins' process CPU 3.75 (200 blocks/s at this wall cost allows 0.50 calls per block)",
    );
  });

  it('gives the timed blocks per second apart from the warm-up, and both together', () => {
    // Prepare
    const calls = { DynamoDBClient: { PutItemCommand: 400 } };
    const warmedUp = { ...figures(calls), warmUp: { blocks: 50, wallSeconds: 6 } };

    // Act
    const json = orchestratorBenchJson(warmedUp);
    const report = orchestratorBenchReport(warmedUp);
    const cold = orchestratorBenchJson(figures(calls));

    // Assess
    expect(json.blocksPerSecond).toBe(25);
    expect(json.warmUp).toEqual({
      blocks: 50,
      wallSeconds: 6,
      blocksPerSecond: 8.33,
      blocksPerSecondIncludingWarmUp: 15,
    });
    expect(report).toContain('warm-up before the clock: 50 blocks in 6.00 s (8.3 blocks/s');
    expect(report).toContain('all blocks with it: 15.0 blocks/s');
    expect(cold.warmUp).toBeNull();
    expect(orchestratorBenchReport(figures(calls))).toContain('warm-up: none');
  });

  it('names an SDK client it cannot file under a service', () => {
    // Prepare
    const calls = { LambdaClient: { InvokeCommand: 1 } };

    // Act
    const act = () => orchestratorBenchJson(figures(calls));

    // Assess
    expect(act).toThrow(/unknown SDK client "LambdaClient"/);
  });
});
