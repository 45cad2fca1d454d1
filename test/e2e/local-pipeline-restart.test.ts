import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import { devnetChainStatePaths } from '../../devnet/runtime/devnet-chain-state.js';
import { resumeDevnetChains } from '../../devnet/runtime/devnet-chains.js';
import { type DevnetManifest, readDevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { type OracleOutput, readOracleOutputs } from '../../devnet/runtime/oracle-proposals.js';
import { loadPipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import {
  checkProposalsAgainstL2,
  countOracleTransactions,
  devnetConfigPath,
  jobsStartedMoreThanOnce,
  publicClient,
  readBatchJobRecord,
  repoRoot,
} from './local-pipeline-harness.js';

/** Runs `npm start` (devnet/start.ts) to completion; resolves with its exit code and output. */
function runStart(args: readonly string[]): Promise<{ code: number | string; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'devnet', 'start.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((done) => {
    child.once('exit', (code, signal) => done({ code: code ?? signal ?? 'unknown', output }));
  });
}

function manifestOf(stateDirectory: string): DevnetManifest {
  const manifest = readDevnetManifest(join(stateDirectory, 'manifest.json'));
  if (manifest === undefined) throw new Error(`no manifest in ${stateDirectory}`);
  return manifest;
}

describe('npm start restarted on the same state folder', () => {
  const directory = mkdtempSync(join(tmpdir(), 'e2e-restart-'));
  const stateDirectory = join(directory, 'state');
  const configPath = devnetConfigPath;
  const config = loadPipelineConfig(configPath);
  let inspected: DevChains | undefined;

  /** Brings the saved chains up in this process (free ports) to look at them from outside. */
  async function resumeForInspection(): Promise<DevnetManifest> {
    const resumed = await resumeDevnetChains({
      config,
      manifest: manifestOf(stateDirectory),
      stateDirectory,
      l1Port: 0,
      l2Port: 0,
      l1BlockTimeSeconds: 1,
      l2BlockTimeSeconds: 1,
    });
    inspected = resumed.chains;
    return resumed.manifest;
  }

  afterAll(async () => {
    await inspected?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('resumes the chains, the oracle and the pipeline instead of starting over', async () => {
    // Prepare: a first run to one proposal, on free ports.
    const common = ['--config', configPath, '--state-dir', stateDirectory, '--progress-every', '0'];
    const first = await runStart([...common, '--l1-port', '0', '--l2-port', '0', '--proposals', '1']);
    expect(first.code, first.output).toBe(0);
    const firstManifest = manifestOf(stateDirectory);
    const paths = devnetChainStatePaths(stateDirectory);
    expect(existsSync(paths.l1StateFile) && existsSync(paths.l2StateFile)).toBe(true);
    const firstJobs = readBatchJobRecord(stateDirectory);

    // What the first run left on the saved chains.
    const afterFirst = await resumeForInspection();
    const firstOutputs = await readOracleOutputs(
      publicClient(afterFirst.l1.rpcUrl),
      afterFirst.contracts.l2OutputOracle,
    );
    const firstL2Head = await publicClient(afterFirst.l2.rpcUrl).getBlockNumber({ cacheTime: 0 });
    await inspected?.stop();
    inspected = undefined;

    // Act: a plain restart (no port flags: the saved ports) to two proposals.
    const second = await runStart([...common, '--proposals', '2']);

    // Assess: the second run resumed: no new chains, no new deployment, the same ports.
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/resuming the chains and the pipeline saved in/);
    expect(second.output).not.toMatch(/deploying the oracle/);
    // The chains and contracts are the same; the stand-ins' endpoints (`aws`) are this run's own.
    const { aws: firstEndpoints, ...firstChains } = firstManifest;
    const { aws: secondEndpoints, ...secondChains } = manifestOf(stateDirectory);
    expect(secondChains).toEqual(firstChains);
    expect(Object.keys(secondEndpoints ?? {}).sort()).toEqual(Object.keys(firstEndpoints ?? {}).sort());

    const manifest = await resumeForInspection();
    const { outputs, expectedRoots } = await checkProposalsAgainstL2(manifest);
    expect(firstOutputs.length).toBeGreaterThanOrEqual(2);
    expect(outputs.length).toBeGreaterThanOrEqual(3);
    // The first run's proposal is still output 1; the second run's follow it, contiguous and correct.
    expect(outputs[1]).toEqual(firstOutputs[1] as OracleOutput);
    outputs.forEach((output, index) => {
      expect(output.index).toBe(BigInt(index));
      expect(output.outputRoot).toBe(expectedRoots[index]);
      if (index > 0) {
        expect(output.l2BlockNumber - (outputs[index - 1] as OracleOutput).l2BlockNumber).toBe(
          BigInt(config.proposer.submissionInterval),
        );
      }
    });
    const txs = await countOracleTransactions(manifest);
    expect(txs.proposals).toEqual({ sent: outputs.length - 1, reverted: 0 });
    expect(txs.checkpoints.reverted).toBe(0);
    expect(txs.duplicateCheckpoints).toEqual([]);

    // The L2 continued from the saved head with non-decreasing timestamps (from the oracle's starting
    // block on: anvil --optimism re-stamps genesis block 0 when it loads a state file; the first block
    // mined after a restore can share the saved head's second).
    const l2 = publicClient(manifest.l2.rpcUrl);
    const l2Head = await l2.getBlockNumber({ cacheTime: 0 });
    expect(l2Head).toBeGreaterThan(firstL2Head);
    let previousTimestamp = -1n;
    for (let number = BigInt(manifest.startingBlock); number <= l2Head; number += 1n) {
      const block = await l2.getBlock({ blockNumber: number });
      expect(block.timestamp).toBeGreaterThanOrEqual(previousTimestamp);
      previousTimestamp = block.timestamp;
    }
    const finalized = await l2.getBlock({ blockTag: 'finalized' });
    const latest = await l2.getBlock({ blockTag: 'latest' });
    expect(finalized.number).toBeGreaterThan(firstL2Head);
    expect(finalized.number).toBeLessThan(latest.number);

    // No job submitted or started twice across both runs (a job the first run's stop cut off runs
    // again); the second run kept the first run's jobs and added its own.
    expect(jobsStartedMoreThanOnce(stateDirectory, firstJobs.unfinished)).toEqual([]);
    const submitted = readBatchJobRecord(stateDirectory).submittedByName;
    for (const name of Object.keys(firstJobs.submittedByName)) expect(submitted[name]).toBe(1);
    expect(Object.keys(submitted).length).toBeGreaterThan(Object.keys(firstJobs.submittedByName).length);
  }, 150_000);
});
