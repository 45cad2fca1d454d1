import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { readOracleHead } from '../../devnet/runtime/oracle-proposals.js';
import { readReorgReport } from '../../devnet/runtime/reorg-injector.js';
import {
  checkProposalsAgainstL2,
  publicClient,
  repoRoot,
  runPipelineProcess,
  startChainsForTest,
} from './local-pipeline-harness.js';

/** config/devnet.json with the watcher on the L2 `safe` head (latest − 1), which a depth-3 reorg goes below. */
const reorgsConfigPath = join(repoRoot, 'config', 'devnet-reorgs.json');
const L1_REORGS = 3;
const L2_REORGS = 2;
const PROPOSALS = 3;
/** Every wait of the run stops here, so the test ends within about 3 minutes on a loaded machine. */
const RUN_DEADLINE_MS = 150_000;

describe('local pipeline under L1 and L2 reorgs', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-reorgs-'));
  let chains: DevChains;
  let manifest: DevnetManifest;

  beforeAll(async () => {
    ({ chains, manifest } = await startChainsForTest(stateDirectory));
  });

  afterAll(async () => {
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it(`reorgs L1 ${L1_REORGS} times and L2 ${L2_REORGS} times, and still proposes ${PROPOSALS} outputs that are the canonical L2's`, async () => {
    // Prepare: the run's own --config comes after the harness's, and the last one counts.
    const pipeline = runPipelineProcess(stateDirectory, [
      '--config',
      reorgsConfigPath,
      '--progress-every',
      '5',
      '--fault-l1-reorg-every',
      '7',
      '--fault-l1-reorgs',
      String(L1_REORGS),
      '--fault-l2-reorg-every',
      '11',
      '--fault-l2-reorgs',
      String(L2_REORGS),
      '--fault-reorg-depth',
      '3',
    ]);
    const l1 = publicClient(manifest.l1.rpcUrl);
    const deadline = Date.now() + RUN_DEADLINE_MS;

    // Act: run until every reorg happened and, after the last one, the oracle holds the proposals and
    // has proposed past the highest reorged L2 block (or until the deadline).
    let head = { proposals: 0n, latestBlockNumber: 0n };
    let settled = false;
    while (!settled && Date.now() < deadline && pipeline.child.exitCode === null) {
      await sleep(1_000);
      const { reorgs } = readReorgReport(stateDirectory);
      const done = (chain: 'l1' | 'l2') => reorgs.filter((reorg) => reorg.chain === chain).length;
      if (done('l1') < L1_REORGS || done('l2') < L2_REORGS) continue;
      const highestL2Reorg = reorgs
        .filter((reorg) => reorg.chain === 'l2')
        .reduce((highest, reorg) => (BigInt(reorg.height) > highest ? BigInt(reorg.height) : highest), 0n);
      head = await readOracleHead(l1, manifest.contracts.l2OutputOracle);
      settled = head.proposals >= BigInt(PROPOSALS) && head.latestBlockNumber > highestL2Reorg;
    }
    pipeline.child.kill('SIGTERM');
    const exit = await pipeline.exited;

    // Assess
    const output = pipeline.output();
    const tail = output.slice(-6_000);
    const report = readReorgReport(stateDirectory);
    const l1Reorgs = report.reorgs.filter((reorg) => reorg.chain === 'l1');
    const l2Reorgs = report.reorgs.filter((reorg) => reorg.chain === 'l2');
    expect(l1Reorgs, tail).toHaveLength(L1_REORGS);
    expect(l2Reorgs, tail).toHaveLength(L2_REORGS);
    for (const reorg of report.reorgs) {
      expect(reorg.depth).toBe(3);
      expect(reorg.newHash).not.toBe(reorg.oldHash);
      expect(output).toContain(`fault: ${reorg.chain.toUpperCase()} reorg depth 3 at block ${reorg.height} `);
    }
    expect(exit, tail).toBe(0);
    expect(
      { settled, proposals: head.proposals, proposedHead: head.latestBlockNumber },
      `the oracle did not reach ${PROPOSALS} proposals past the reorged L2 blocks within ${RUN_DEADLINE_MS / 1000} s\n${tail}`,
    ).toMatchObject({ settled: true });
    // Every root on the oracle is the L2's root at that block as the L2 is now (after every reorg).
    const { outputs, expectedRoots } = await checkProposalsAgainstL2(manifest);
    expect(outputs.length).toBeGreaterThanOrEqual(PROPOSALS + 1);
    outputs.forEach((proposed, index) => {
      expect(proposed.index).toBe(BigInt(index));
      expect(proposed.outputRoot, `output ${index} at L2 block ${proposed.l2BlockNumber}`).toBe(
        expectedRoots[index],
      );
      if (index > 0) expect(proposed.l2BlockNumber).toBeGreaterThan(outputs[index - 1]?.l2BlockNumber ?? 0n);
    });
  }, 210_000);
});
