import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { readOracleHead } from '../../devnet/runtime/oracle-proposals.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import {
  type OpsCliRun,
  type PipelineProcess,
  publicClient,
  runOpsCli,
  runPipelineProcess,
  startChainsForTest,
} from './local-pipeline-harness.js';

/** Polls `probe` until `done` holds or `seconds` pass; returns the last value (the caller asserts on it). */
async function pollUntil<T>(
  seconds: number,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(500);
    value = await probe();
  }
  return value;
}

describe('the ops CLI during a local run', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'e2e-ops-'));
  let chains: DevChains;
  let manifest: DevnetManifest;
  let config: PipelineConfig;
  let pipeline: PipelineProcess;
  const ops = (...args: string[]): Promise<OpsCliRun> => runOpsCli(stateDirectory, args);

  beforeAll(async () => {
    ({ chains, manifest, config } = await startChainsForTest(stateDirectory));
  });

  afterAll(async () => {
    if (pipeline?.child.exitCode === null) {
      pipeline.child.kill('SIGTERM');
      await pipeline.exited;
    }
    await chains?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('shows status, holds proposals while the proposer is paused, and retries an abandoned group to a proposal', async () => {
    // Prepare: both attempts of the first aggregate job fail (attempts 2, onExhausted fail: abandoned).
    // The fault names that group (it starts at the oracle's starting block): `aggregate-*:2` would
    // also count a second aggregate that starts before the first one's retry, as it does on a loaded
    // machine, and then no group is abandoned.
    const l1 = publicClient(manifest.l1.rpcUrl);
    const oracle = () => readOracleHead(l1, manifest.contracts.l2OutputOracle);
    const proposerPeriodMs = config.proposer.schedule.everySeconds * 1000;
    pipeline = runPipelineProcess(stateDirectory, [
      '--no-dashboard',
      '--progress-every',
      '5',
      '--fault-fail-job-times',
      `aggregate-${manifest.startingBlock}-*:2`,
    ]);
    const abandoned = await pollUntil(
      120,
      () => ops('groups', 'list', '--stage', 'aggregate', '--status', 'abandoned'),
      (run) => run.code === 0 && run.json.length > 0,
    );
    expect(abandoned.json?.length, `${abandoned.stderr}\n${pipeline.output()}`).toBeGreaterThan(0);
    const group = abandoned.json[0] as { id: string; end: string };

    // Act 1: status.
    const status = await ops('status');

    // Assess 1: heads present and plausible; the abandoned group waits on a person.
    expect(status.code, status.stderr).toBe(0);
    const latest = BigInt(status.json.l2.latest.block);
    expect(latest).toBeGreaterThan(BigInt(manifest.startingBlock));
    expect(BigInt(status.json.l2.finalized.block)).toBeLessThanOrEqual(latest);
    const heads = Object.fromEntries(
      (status.json.heads as { name: string; block?: string }[]).map((head) => [head.name, head.block]),
    );
    expect(Object.keys(heads)).toEqual([
      'enqueued',
      'proven (range)',
      'aggregated (aggregate)',
      'proposed (oracle)',
    ]);
    expect(BigInt(heads.enqueued ?? -1)).toBeLessThanOrEqual(latest);
    expect(BigInt(heads['proven (range)'] ?? -1)).toBeGreaterThanOrEqual(BigInt(group.end));
    expect(heads['proposed (oracle)']).toBe(manifest.startingBlock);
    expect(status.json.stages[1]).toMatchObject({
      stage: 'aggregate',
      waits: expect.arrayContaining([expect.objectContaining({ id: group.id, status: 'abandoned' })]),
    });

    // Act 2: pause the proposer, then retry the abandoned group while it is paused (both must succeed
    // before the window is worth waiting for).
    const paused = await ops('pause', 'proposer', '--reason', 'e2e');
    const retried = await ops('group', 'retry', group.id);
    expect(paused.code, paused.stderr).toBe(0);
    expect(retried.code, retried.stderr).toBe(0);
    const proposedBefore = (await oracle()).latestBlockNumber;
    const windowStart = Date.now();
    const succeeded = await pollUntil(
      90,
      () => ops('group', 'show', group.id),
      (run) => run.json?.group.status === 'succeeded',
    );
    // Hold the window open for at least two proposer periods after the group succeeded.
    const heldFrom = Date.now();
    const held: bigint[] = [];
    while (Date.now() - heldFrom < 2 * proposerPeriodMs + 2000) {
      held.push((await oracle()).latestBlockNumber);
      await sleep(1000);
    }
    const whilePaused = await ops('status');

    // Assess 2: the retry ran the group's attempts again; no proposal while paused, though work went on.
    expect(retried.json).toMatchObject({ action: 'retry', groupId: group.id, from: 'abandoned' });
    expect(succeeded.json?.group.status, pipeline.output()).toBe('succeeded');
    expect(succeeded.json.group.failures).toBe(0);
    expect(succeeded.json.operatorActions).toEqual([
      expect.objectContaining({ action: 'retry', from: 'abandoned', to: 'retried' }),
    ]);
    expect(Date.now() - windowStart).toBeGreaterThanOrEqual(2 * proposerPeriodMs);
    expect(held.every((block) => block === proposedBefore)).toBe(true);
    expect(proposedBefore).toBe(BigInt(manifest.startingBlock));
    expect(whilePaused.json.pauses).toEqual([
      expect.objectContaining({
        itemId: 'pause/proposer',
        target: 'proposer',
        reason: 'e2e',
        setter: 'operator',
      }),
    ]);
    expect(BigInt(whilePaused.json.l2.latest.block)).toBeGreaterThan(latest);
    // The run's own progress line says so too (a line every 5 s over the ≥ 20 s window).
    expect(pipeline.output()).toMatch(/ \| PAUSED proposer \(by [^)]+\): e2e/);
    const aggregated = whilePaused.json.heads.find(
      (h: { name: string }) => h.name === 'aggregated (aggregate)',
    );
    expect(BigInt(aggregated.block)).toBeGreaterThanOrEqual(BigInt(group.end));

    // Act 3: resume the proposer.
    const resumed = await ops('resume', 'proposer');
    const proposed = await pollUntil(
      4 * (proposerPeriodMs / 1000),
      oracle,
      (head) => head.latestBlockNumber >= BigInt(group.end),
    );
    const afterResume = await ops('status');

    // Assess 3: a proposal covering the retried group lands; the switch is gone.
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(proposed.latestBlockNumber, pipeline.output()).toBeGreaterThanOrEqual(BigInt(group.end));
    expect(proposed.proposals).toBeGreaterThanOrEqual(1n);
    expect(afterResume.json.pauses).toEqual([]);
    expect(pipeline.output()).toContain(
      `fault: job aggregate-${manifest.startingBlock}-${group.end}-a1 fails 1 of 2 (injected)`,
    );
    expect(pipeline.output()).toContain(
      `fault: job aggregate-${manifest.startingBlock}-${group.end}-a2 fails 2 of 2 (injected)`,
    );
  }, 240_000);
});
