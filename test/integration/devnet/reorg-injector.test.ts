import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublicClient, createTestClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { readReorgReport, startReorgInjector } from '../../../devnet/runtime/reorg-injector.js';

/** Polls `done` every 25 ms; throws naming `what` after 10 s (the timers tick every second). */
async function waitFor(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

describe('startReorgInjector', () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'reorg-injector-'));
  let l1: AnvilInstance;
  let l2: AnvilInstance;

  beforeAll(async () => {
    [l1, l2] = await Promise.all([
      startAnvil({ chainId: 900, blockTimeSeconds: 1 }),
      startAnvil({ chainId: 901, optimism: true }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([l1?.stop(), l2?.stop()]);
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it('reorgs each chain on its timer up to its count, prints each reorg and records it in reorgs.json', async () => {
    // Prepare: the L2 is one block short of the depth at first (a failed attempt), then long enough;
    // the L1 is long enough from the start and is reorged once only.
    await createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).mine({ blocks: 1 });
    await createTestClient({ mode: 'anvil', transport: http(l1.rpcUrl) }).mine({ blocks: 3 });
    const lines: string[] = [];
    const injector = startReorgInjector({
      targets: [
        { chain: 'l1', rpcUrl: l1.rpcUrl, everySeconds: 1, depth: 2, count: 1 },
        { chain: 'l2', rpcUrl: l2.rpcUrl, everySeconds: 1, depth: 2 },
      ],
      stateDirectory,
      log: (line) => lines.push(line),
    });

    const reorgsOf = (chain: 'l1' | 'l2') =>
      injector.report().reorgs.filter((reorg) => reorg.chain === chain).length;

    // Act: mine the L2 once its first tick failed (and the L1's reorged), stop after two L2 reorgs;
    // the L1 timer ticks again meanwhile, past its count.
    await waitFor('the failed L2 attempt and the L1 reorg', () => {
      return injector.report().failures.length > 0 && reorgsOf('l1') > 0;
    });
    await createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).mine({ blocks: 3 });
    await waitFor('two L2 reorgs', () => reorgsOf('l2') >= 2);
    await injector.stop();

    // Assess
    const report = readReorgReport(stateDirectory);
    expect(report).toEqual(injector.report());
    expect(report.failures).toEqual([
      { chain: 'l2', atMs: expect.any(Number), message: 'cannot reorg 2 blocks: the chain is at block 1' },
    ]);
    const l1Reorgs = report.reorgs.filter((reorg) => reorg.chain === 'l1');
    const l2Reorgs = report.reorgs.filter((reorg) => reorg.chain === 'l2');
    expect(l1Reorgs).toHaveLength(1);
    expect(l2Reorgs.length).toBeGreaterThanOrEqual(2);
    const l2Client = createPublicClient({ transport: http(l2.rpcUrl) });
    const last = l2Reorgs.at(-1);
    expect((await l2Client.getBlock({ blockNumber: BigInt(last?.height ?? 0) })).hash).toBe(last?.newHash);
    for (const reorg of report.reorgs) {
      expect(reorg.newHash).not.toBe(reorg.oldHash);
      expect(BigInt(reorg.height) - BigInt(reorg.ancestor)).toBe(BigInt(reorg.depth));
    }
    expect(lines).toContain(
      `fault: L2 reorg depth 2 at block ${last?.height} (ancestor ${last?.ancestor}): ${last?.oldHash} → ${last?.newHash} (injected)`,
    );
    expect(lines).toContain('fault: L2 reorg not injected: cannot reorg 2 blocks: the chain is at block 1');
  });

  it('reads an empty report from a state folder without reorgs', () => {
    // Act
    const report = readReorgReport(join(stateDirectory, 'none'));

    // Assess
    expect(report).toEqual({ reorgs: [], failures: [] });
  });
});
