import { BlockNotFoundError, type Hex, TimeoutError } from 'viem';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { RpcEndpointsFailedError } from '../../../lambdas/chain/rpc-endpoints-failed-error.js';
import type { WaitingGroup } from '../../../lambdas/core/orchestrator/proposer-gateway.js';
import { L1FloorLookupError } from '../../../lambdas/proposer/errors.js';
import type { ProposerRunContext } from '../../../lambdas/proposer/proposer-run-context.js';
import { rangesL1Floor } from '../../../lambdas/proposer/ranges-l1-floor.js';

const known = `0x${'a'.repeat(64)}` as Hex;
const other = `0x${'b'.repeat(64)}` as Hex;

/** A run whose waiting group's ranges were proven against `heads`; L1 answers by `getBlock`. */
function run(heads: readonly Hex[], getBlock: (hash: Hex) => Promise<{ number: bigint }>) {
  const logger = new MemoryLogger();
  const context = {
    deps: {
      logger,
      orchestrator: { memberPayloads: async () => heads.map((l1Head) => ({ bootInfo: { l1Head } })) },
      l1: { getBlock: ({ blockHash }: { blockHash: Hex }) => getBlock(blockHash) },
    },
  } as unknown as ProposerRunContext;
  return { context, logger, groups: [{ id: 'aggregate/0-10' }] as unknown as WaitingGroup[] };
}

describe('rangesL1Floor', () => {
  it('logs a head L1 does not have as a reorg and takes the floor from the others', async () => {
    // Prepare
    const { context, logger, groups } = run([known, other], async (hash) => {
      if (hash === other) throw new BlockNotFoundError({ blockHash: hash });
      return { number: 42n };
    });

    // Act
    const floor = await rangesL1Floor(context, groups);

    // Assess
    expect(floor).toBe(42n);
    expect(logger.at('warn')).toMatchObject([
      { message: expect.stringMatching(/reorged/), attributes: { l1Head: other } },
    ]);
  });

  it('fails naming the head and the RPC failure, not as a reorg, when the lookup itself fails', async () => {
    // Prepare
    const timeout = new TimeoutError({ body: {}, url: 'http://127.0.0.1:9/v2/KEY' });
    const { context, logger, groups } = run([known], async () => {
      throw new RpcEndpointsFailedError(
        'L1',
        'eth_getBlockByHash',
        ['L1 endpoint #1 (http://127.0.0.1:9/<redacted-url>) timed out after 400 ms'],
        timeout,
      );
    });

    // Act
    const failed = rangesL1Floor(context, groups);

    // Assess
    await expect(failed).rejects.toBeInstanceOf(L1FloorLookupError);
    await expect(failed).rejects.toThrow(
      new RegExp(
        `could not look up range l1Head ${known} on L1 .*L1 endpoint #1 \\(http://127.0.0.1:9/<redacted-url>\\) timed out`,
      ),
    );
    expect(logger.entries.filter((entry) => /reorg/.test(entry.message))).toEqual([]);
  });
});
