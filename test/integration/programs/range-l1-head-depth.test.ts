import { describe, expect, it } from 'vitest';
import { useRangeAggregateDevnet } from './range-aggregate-fixture.js';

describe('range host: l1Head at a depth below the L1 head (anvil)', () => {
  const { devnet, rangeRequest, rangeHost, prove, checkpointRequest, aggregateHost } =
    useRangeAggregateDevnet();

  it('picks the L1 block l1HeadDepth below the head, and the aggregate header chain still covers it', async () => {
    // Prepare
    const s = devnet().startBlock;
    await devnet().mineL1(6);
    const head = await devnet().l1.getBlockNumber({ cacheTime: 0 });
    const deep = await devnet().l1.getBlock({ blockNumber: head - 5n });
    // Act
    const input = await rangeHost().prepareInput(rangeRequest(s, s + 4n, { l1HeadDepth: 5 }));
    const proven = await prove(rangeRequest(s, s + 4n, { l1HeadDepth: 5 }));
    const aggregateInput = await aggregateHost().prepareInput(await checkpointRequest([proven]));
    // Assess
    expect(input.l1Head).toBe(deep.hash);
    expect(proven.bootInfo.l1Head).toBe(deep.hash);
    expect(aggregateInput.l1Headers.map((h) => h.hash)).toContain(deep.hash);
  });

  it('takes the head itself without a depth', async () => {
    // Prepare
    const s = devnet().startBlock;
    const head = await devnet().l1.getBlock({ blockTag: 'latest' });
    // Act
    const input = await rangeHost().prepareInput(rangeRequest(s, s + 4n, { l1HeadDepth: 0 }));
    // Assess
    expect(input.l1Head).toBe(head.hash);
  });
});
