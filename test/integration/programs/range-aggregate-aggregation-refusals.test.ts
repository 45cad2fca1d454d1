import { describe, expect, it } from 'vitest';
import { proveAggregate } from '../../../batch-jobs/programs/aggregate/prove-aggregate.js';
import { rollupConfigHashOf } from '../../../lambdas/core/config/rollup-config-hash.js';
import { otherRollupConfigPath } from './program-devnet.js';
import { backend, useRangeAggregateDevnet } from './range-aggregate-fixture.js';

describe('range + aggregate programs on anvil, proposed to the L1 oracle', () => {
  const { devnet, rangeRequest, prove, checkpointRequest, aggregateHost } = useRangeAggregateDevnet();

  it('refuses a gap between ranges, naming both ranges', async () => {
    // Prepare
    const s = devnet().startBlock;
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 5n, s + 8n))];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[range-gap]: gap between range ${s}-${s + 4n} and range ${s + 5n}-${s + 8n}: blocks ${s + 5n}…${s + 5n} are not proven`,
    );
  });

  it('refuses overlapping ranges, naming both ranges', async () => {
    // Prepare
    const s = devnet().startBlock;
    const ranges = [await prove(rangeRequest(s, s + 4n)), await prove(rangeRequest(s + 3n, s + 8n))];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[range-overlap]: overlap between range ${s}-${s + 4n} and range ${s + 3n}-${s + 8n}`,
    );
  });

  it('refuses ranges proven under different rollup configs', async () => {
    // Prepare
    const s = devnet().startBlock;
    const otherHash = await rollupConfigHashOf(otherRollupConfigPath);
    const ranges = [
      await prove(rangeRequest(s, s + 4n)),
      await prove(rangeRequest(s + 4n, s + 8n, { rollupConfigHash: otherHash }), otherRollupConfigPath),
    ];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[rollup-config-mismatch]: range ${s + 4n}-${s + 8n} has rollupConfigHash ${otherHash}`,
    );
  });

  it('refuses a range whose l1Head is not in the L1 chain ending at the checkpoint', async () => {
    // Prepare
    const s = devnet().startBlock;
    const foreign = `0x${'ab'.repeat(32)}` as const;
    const ranges = [
      await prove(rangeRequest(s, s + 4n)),
      await prove(rangeRequest(s + 4n, s + 8n, { l1Head: foreign })),
    ];

    // Act
    const refused = proveAggregate(await checkpointRequest(ranges), { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow(
      `[foreign-l1-head]: range ${s + 4n}-${s + 8n} l1Head ${foreign} is not in the L1 header chain`,
    );
  });

  it('refuses an l1Head newer than the checkpointed block', async () => {
    // Prepare
    const s = devnet().startBlock;
    const ranges = [await prove(rangeRequest(s, s + 4n))];
    const request = await checkpointRequest(ranges);
    const older = await devnet().l1.getBlock({ blockNumber: BigInt(request.checkpoint.l1BlockNumber) - 1n });
    request.checkpoint = { l1BlockNumber: String(older.number), l1BlockHash: older.hash };

    // Act
    const refused = proveAggregate(request, { host: aggregateHost(), backend });

    // Assess
    await expect(refused).rejects.toThrow('[foreign-l1-head]');
  });
});
