import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublicClient, createTestClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { readReorgReport, startReorgInjector } from '../../../devnet/runtime/reorg-injector.js';

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

    // Act
    await sleep(1_500);
    await createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).mine({ blocks: 3 });
    await sleep(3_000);
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
