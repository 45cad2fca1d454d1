import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { applyLocalAwsEnvironment } from '../../devnet/runtime/local-aws-environment.js';
import { type LocalPipeline, startLocalPipeline } from '../../devnet/runtime/local-pipeline.js';
import {
  readPipelineAggregateLatencies,
  writeConfigWithProposerEvery,
} from '../../devnet/runtime/proposal-latency.js';
import { devnetConfigPath, repoRoot, startChainsForTest } from './local-pipeline-harness.js';

/** Long enough that no machine is slow enough to reach a proposal inside one period (seen: 45-95 s). */
const PROPOSER_EVERY_SECONDS = 300;

describe('local pipeline with a slow proposer schedule and proposer wake-ups', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-wakeup-'));
  let chains: DevChains;
  let manifest: DevnetManifest;
  let pipeline: LocalPipeline | undefined;

  beforeAll(async () => {
    applyLocalAwsEnvironment();
    ({ chains, manifest } = await startChainsForTest(stateDirectory));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('proposes within one schedule period, where the schedule alone needs two', async () => {
    // Prepare: the devnet config with the proposer every 300 s. On the schedule alone the first
    // aggregate (formed after the run at start) is checkpointed at the 300 s tick and proposed at
    // the 600 s tick at the earliest.
    const configPath = join(stateDirectory, 'slow-proposer.json');
    writeConfigWithProposerEvery(devnetConfigPath, PROPOSER_EVERY_SECONDS, configPath);
    pipeline = await startLocalPipeline({
      configPath,
      stateDirectory,
      repoRoot,
      manifest,
      log: () => undefined,
      progressEverySeconds: 0,
    });
    const startedAt = pipeline.stats().startedAt;
    const firstTickAfterStart = startedAt + PROPOSER_EVERY_SECONDS * 1000;

    // Act
    await pipeline.waitForProposals(1, AbortSignal.timeout((PROPOSER_EVERY_SECONDS - 20) * 1000));

    // Assess: from the stored items, not the wall clock of this test
    const latencies = await readPipelineAggregateLatencies(pipeline);
    const first = latencies.find((l) => l.proposalSentAt !== undefined);
    expect(first, JSON.stringify(latencies)).toBeDefined();
    const { formedAt, submittedAt, proofRecordedAt, proposalSentAt } = first as Required<
      typeof first & object
    >;
    // In order: formed, checkpointed and submitted, proven and recorded, proposed.
    expect(formedAt).toBeLessThan(submittedAt);
    expect(submittedAt).toBeLessThan(proofRecordedAt);
    expect(proofRecordedAt).toBeLessThan(proposalSentAt);
    expect(proposalSentAt).toBeLessThan(firstTickAfterStart);
    // Each wait is a small fraction of the period (on the schedule alone: up to one, half on average).
    expect(submittedAt - formedAt).toBeLessThan((PROPOSER_EVERY_SECONDS * 1000) / 5);
    expect(proposalSentAt - proofRecordedAt).toBeLessThan((PROPOSER_EVERY_SECONDS * 1000) / 5);
    expect(pipeline.stats().calls.byService.lambda).toBeGreaterThan(0);
  }, 360_000);
});
