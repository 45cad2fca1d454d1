import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import {
  checkProposalsAgainstL2,
  repoRoot,
  runPipelineProcess,
  startChainsForTest,
} from './local-pipeline-harness.js';

const twoProvers = join(repoRoot, 'config', 'devnet-two-provers.json');

describe('local pipeline with two provers joined on the span', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-two-provers-'));
  let chains: DevChains;
  let manifest: DevnetManifest;

  beforeAll(async () => {
    ({ chains, manifest } = await startChainsForTest(stateDirectory, twoProvers));
  });

  afterAll(async () => {
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('proposes 2 output roots equal to L2’s, both provers shown on the progress line', async () => {
    // Prepare
    const pipeline = runPipelineProcess(
      stateDirectory,
      ['--proposals', '2', '--progress-every', '5'],
      twoProvers,
    );

    // Act
    const exitCode = await pipeline.exited;

    // Assess
    expect(exitCode, pipeline.output()).toBe(0);
    const { outputs, expectedRoots } = await checkProposalsAgainstL2(manifest);
    expect(outputs.length).toBeGreaterThanOrEqual(3);
    outputs.forEach((output, index) => {
      expect(output.outputRoot).toBe(expectedRoots[index]);
    });
    expect(pipeline.output()).toMatch(/range-a: [^\n]*succeeded/);
    expect(pipeline.output()).toMatch(/range-b: [^\n]*succeeded/);
  }, 90_000);
});
