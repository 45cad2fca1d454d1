import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChains } from '../../../devnet/chains/start-dev-chains.js';
import type { DevnetManifest } from '../../../devnet/runtime/devnet-manifest.js';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { systemClock } from '../../../lambdas/core/ports/clock.js';
import { recordProposerWait } from '../../../lambdas/proposer/proposer-wait.js';
import { runOpsCli } from '../../../ops/run-ops-cli.js';
import { startDevnetTestChains } from './devnet-test-chains.js';
import { blockEnvelope, type OpsFixture, prepareGroups, startOpsFixture } from './ops-fixture.js';

describe('ops status against anvil chains and the local stand-ins', () => {
  let chains: DevChains;
  let manifest: DevnetManifest;
  let fixture: OpsFixture;

  beforeAll(async () => {
    const started = await startDevnetTestChains();
    chains = started.chains;
    manifest = started.manifest;
    fixture = await startOpsFixture('ops-status', { manifest });
    await prepareGroups(fixture);
    await recordProposerWait(
      {
        store: fixture.deps.store,
        clock: systemClock,
        logger: new MemoryLogger(),
        metrics: new MemoryMetrics(),
      },
      manifest.proposer,
      { reason: 'not-approved', message: 'approve the signer on the oracle (addProposer)' },
    );
    fixture.standIns.queues.send(
      fixture.standIns.deadLetterQueueName('blocks'),
      JSON.stringify(blockEnvelope(99n)),
    );
  });
  afterAll(async () => {
    await fixture?.close();
    await chains?.stop();
  });

  it('reports heads with their lag, groups per stage, waits, DLQ depths and the proposer', async () => {
    // Act
    const { code, value, stderr } = await fixture.opsJson('status');

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const latest = BigInt(value.l2.latest.block);
    expect(latest).toBeGreaterThanOrEqual(BigInt(manifest.startingBlock));
    expect(BigInt(value.l2.finalized.block)).toBeLessThanOrEqual(latest);
    expect(value.heads).toEqual([
      { name: 'enqueued' },
      { name: 'proven (range)' },
      { name: 'aggregated (aggregate)' },
      {
        name: 'proposed (oracle)',
        block: manifest.startingBlock,
        lagBlocks: String(latest - BigInt(manifest.startingBlock)),
        lagSeconds: expect.stringMatching(/^\d+$/),
      },
    ]);
    const origin = BigInt(manifest.startingBlock);
    expect(value.stages[0]).toMatchObject({
      stage: 'range',
      groups: { running: 3, failed: 1, split: 1 },
      oldestOpen: { id: `range/${origin}-${origin + 2n}`, status: 'running' },
      breaker: { status: 'closed' },
      waits: [],
    });
    expect(value.stages[1]).toMatchObject({ stage: 'aggregate', groups: {} });
    expect(value.deadLetterQueues).toEqual({ blocks: 1, 'range-proofs': 0, 'aggregate-proofs': 0 });
    expect(value.proposer).toMatchObject({
      address: manifest.proposer,
      leases: [],
      openTransactions: [],
      waits: [
        {
          id: `proposer-wait/${manifest.proposer.toLowerCase()}`,
          reason: 'not-approved',
          message: 'approve the signer on the oracle (addProposer)',
        },
      ],
    });
    expect(BigInt(value.proposer.balanceWei)).toBeGreaterThan(0n);
  });

  it('prints the same as compact tables', async () => {
    // Act
    const { code, stdout } = await fixture.ops('status');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^head\s+block\s+lag blocks\s+lag seconds$/m);
    expect(stdout).toMatch(
      new RegExp(`^proposed \\(oracle\\)\\s+${manifest.startingBlock}\\s+\\d+\\s+\\d+$`, 'm'),
    );
    expect(stdout).toMatch(
      /^range\s+3 running, 1 failed, 1 split\s+range\/\d+-\d+ running for \d+ s\s+closed$/m,
    );
    const waiting = stdout.split('waiting on a person:\n')[1]?.split('\n') ?? [];
    expect(waiting[0]).toMatch(/^item\s+status\s+reason$/);
    expect(waiting[1]).toMatch(
      /^proposer-wait\/0x[0-9a-f]{40}\s+not-approved\s+approve the signer on the oracle \(addProposer\) \(since .+\)$/,
    );
    expect(stdout).toContain('dead-letter queues: blocks 1, range-proofs 0, aggregate-proofs 0');
  });

  it('--watch refreshes in place until stopped', async () => {
    // Prepare: stop after the second refresh.
    const controller = new AbortController();
    const frames: string[] = [];

    // Act
    const code = await runOpsCli(
      ['status', '--watch', '--every', '1', '--state-dir', fixture.stateDirectory],
      {
        stdout: (text) => {
          frames.push(text);
          if (frames.length === 2) controller.abort();
        },
        stderr: () => undefined,
        env: process.env,
        signal: controller.signal,
      },
    );

    // Assess: each frame homes the cursor and clears the screen before the tables.
    expect(code).toBe(0);
    expect(frames).toHaveLength(2);
    const clearScreen = '\u001b[H\u001b[2J';
    for (const frame of frames) {
      expect(frame.startsWith(clearScreen)).toBe(true);
      expect(frame.slice(clearScreen.length)).toMatch(/^local run in .+\n\nL2 latest \d+/);
    }
  });

  it('lists every set pause switch with target, reason, by and since, as waiting on a person', async () => {
    // Prepare
    await fixture.ops('pause', 'proposer', '--reason', 'rotating the proposer key');
    await fixture.ops('pause', 'range', '--reason', 'new prover image');

    // Act
    const json = await fixture.opsJson('status');
    const { stdout } = await fixture.ops('status');
    await fixture.ops('resume', 'proposer');
    await fixture.ops('resume', 'range');
    const resumed = await fixture.opsJson('status');

    // Assess
    expect(json.value.pauses).toEqual([
      {
        itemId: 'pause/proposer',
        target: 'proposer',
        reason: 'rotating the proposer key',
        by: 'test-operator',
        setter: 'operator',
        since: expect.any(String),
      },
      expect.objectContaining({
        itemId: 'pause/stage/range',
        target: 'stage:range',
        reason: 'new prover image',
      }),
    ]);
    expect(stdout).toMatch(
      /^pause\/proposer\s+paused \(proposer\)\s+rotating the proposer key \(by test-operator, operator, since .+\)$/m,
    );
    expect(stdout).toMatch(/^pause\/stage\/range\s+paused \(stage:range\)\s+new prover image/m);
    expect(resumed.value.pauses).toEqual([]);
  });
});
