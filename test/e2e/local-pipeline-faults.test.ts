import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { readOracleHead } from '../../devnet/runtime/oracle-proposals.js';
import {
  checkProposalsAgainstL2,
  countOracleTransactions,
  jobsStartedMoreThanOnce,
  liveProcessesInGroups,
  publicClient,
  readBatchJobRecord,
  readBatchJobs,
  readRunningJobGroups,
  runPipelineProcess,
  startChainsForTest,
} from './local-pipeline-harness.js';

/** Live processes whose command line names `directory` (Linux `/proc`; empty elsewhere). */
function processesNaming(directory: string): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (commandLine.includes(directory)) found.push(`${entry}: ${commandLine}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe('local pipeline under faults', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-faults-'));
  let chains: DevChains;
  let manifest: DevnetManifest;

  beforeAll(async () => {
    ({ chains, manifest } = await startChainsForTest(stateDirectory));
  });

  afterAll(async () => {
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('still proposes correct contiguous outputs with duplicate deliveries, a failing range job and a crash', async () => {
    // Prepare: every SQS message twice, the first range job fails once. No dashboard: the SIGKILL
    // below gives the run no chance to stop its dashboard child, which would outlive the test.
    const l1 = publicClient(manifest.l1.rpcUrl);
    const first = runPipelineProcess(stateDirectory, [
      '--no-dashboard',
      '--proposals',
      '2',
      '--progress-every',
      '5',
      '--fault-duplicate-delivery',
      '--fault-fail-job-once',
      'range-*',
    ]);

    // Act: crash the pipeline process (SIGKILL) once the first proposal is on L1, then restart it.
    let proposals = 0n;
    const deadline = Date.now() + 90_000;
    while (proposals < 1n && Date.now() < deadline && first.child.exitCode === null) {
      await sleep(250);
      proposals = (await readOracleHead(l1, manifest.contracts.l2OutputOracle)).proposals;
    }
    first.child.kill('SIGKILL');
    await first.exited;
    // Jobs the crash cut off run again after the restart (as Batch restarts a job whose instance died).
    const cutOff = readBatchJobRecord(stateDirectory).unfinished;
    // Their processes outlive the SIGKILL (no exit hook runs); the restart kills them.
    const orphanGroups = readRunningJobGroups(stateDirectory);
    const second = runPipelineProcess(stateDirectory, [
      '--no-dashboard',
      '--proposals',
      '2',
      '--progress-every',
      '5',
      '--fault-duplicate-delivery',
    ]);
    const exitCode = await second.exited;

    // Assess
    expect(proposals, first.output()).toBeGreaterThanOrEqual(1n);
    expect(exitCode, second.output()).toBe(0);
    expect(liveProcessesInGroups(orphanGroups)).toEqual([]);
    // Nothing either run started outlives it (a dashboard child of the killed run once did).
    expect(processesNaming(stateDirectory)).toEqual([]);
    expect(first.output()).toMatch(/fault: job range-\S+ fails once \(injected\)/);
    const { outputs, expectedRoots } = await checkProposalsAgainstL2(manifest);
    expect(outputs.length).toBeGreaterThanOrEqual(3);
    outputs.forEach((output, index) => {
      expect(output.index).toBe(BigInt(index));
      expect(output.outputRoot).toBe(expectedRoots[index]);
      if (index > 0) expect(output.l2BlockNumber).toBeGreaterThan(outputs[index - 1]?.l2BlockNumber ?? 0n);
    });
    const txs = await countOracleTransactions(manifest);
    expect(txs.proposals).toEqual({ sent: outputs.length - 1, reverted: 0 });
    expect(txs.checkpoints.reverted).toBe(0);
    expect(txs.duplicateCheckpoints).toEqual([]);
    expect(jobsStartedMoreThanOnce(stateDirectory, cutOff)).toEqual([]);
    const jobs = readBatchJobs(stateDirectory);
    const failedRange = jobs.find((job) => job.jobName.startsWith('range-') && job.status === 'FAILED');
    expect(failedRange).toBeDefined();
    const retried = (failedRange?.jobName ?? '').replace(/-a1$/, '-a2');
    expect(jobs.some((job) => job.jobName === retried && job.status === 'SUCCEEDED')).toBe(true);
  }, 200_000);
});
