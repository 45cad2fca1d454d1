import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
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

/** The `backend` of every range result a stage's jobs wrote, read from the S3 stand-in's files. */
function resultBackends(stateDirectory: string, stage: string): string[] {
  const s3 = join(stateDirectory, 's3');
  return readdirSync(s3, { recursive: true, encoding: 'utf8' })
    .filter((path) => {
      const key = relative(s3, join(s3, path)).split(sep).slice(1).join('/');
      return key.startsWith(`jobs/${stage}/`) && /\/output\.json\._S3rver_object$/.test(key);
    })
    .map((path) => (JSON.parse(readFileSync(join(s3, path), 'utf8')) as { backend: string }).backend);
}

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

  it('proposes 2 output roots equal to L2’s, range-b through the binary backend, both provers shown', async () => {
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
    expect(pipeline.output()).toMatch(/range-b \(binary\): [^\n]*succeeded/);
    const [inProcess, binary] = [
      resultBackends(stateDirectory, 'range-a'),
      resultBackends(stateDirectory, 'range-b'),
    ];
    expect(binary.length).toBeGreaterThanOrEqual(2);
    expect(new Set(binary)).toEqual(new Set(['binary']));
    expect(new Set(inProcess)).toEqual(new Set(['mock']));
  }, 120_000);
});
