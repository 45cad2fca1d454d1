import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import {
  checkProposalsAgainstL2,
  countOracleTransactions,
  jobsStartedMoreThanOnce,
  readPipelineStats,
  runPipelineProcess,
  startChainsForTest,
} from './local-pipeline-harness.js';

describe('local pipeline end to end', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-pipeline-'));
  let chains: DevChains;
  let manifest: DevnetManifest;
  let config: PipelineConfig;

  beforeAll(async () => {
    ({ chains, manifest, config } = await startChainsForTest(stateDirectory));
  });

  afterAll(async () => {
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('proposes 2 contiguous output roots that equal the L2 output roots at their blocks', async () => {
    // Prepare
    const pipeline = runPipelineProcess(stateDirectory, ['--proposals', '2', '--progress-every', '5']);

    // Act
    const exitCode = await pipeline.exited;

    // Assess
    expect(exitCode, pipeline.output()).toBe(0);
    const { outputs, expectedRoots } = await checkProposalsAgainstL2(manifest);
    expect(outputs.length).toBeGreaterThanOrEqual(3);
    outputs.forEach((output, index) => {
      expect(output.index).toBe(BigInt(index));
      expect(output.outputRoot).toBe(expectedRoots[index]);
      if (index > 0) {
        const previous = outputs[index - 1]?.l2BlockNumber ?? 0n;
        expect(output.l2BlockNumber - previous).toBeGreaterThanOrEqual(
          BigInt(config.proposer.submissionInterval),
        );
      }
    });
    const txs = await countOracleTransactions(manifest);
    expect(txs.proposals).toEqual({ sent: outputs.length - 1, reverted: 0 });
    expect(txs.checkpoints.reverted).toBe(0);
    expect(txs.checkpoints.sent).toBeGreaterThan(0);
    expect(txs.duplicateCheckpoints).toEqual([]);
    // The Batch stand-in starts a job for every SubmitJob: each name submitted and started once.
    expect(jobsStartedMoreThanOnce(stateDirectory)).toEqual([]);
    expect(readPipelineStats(stateDirectory).calls.byService.dynamodb).toBeGreaterThan(0);
  }, 150_000);
});
