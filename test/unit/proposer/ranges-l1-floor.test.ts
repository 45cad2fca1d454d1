import { BlockNotFoundError, type Hex, TimeoutError } from 'viem';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../lambdas/adapters/memory/memory-logger.js';
import { MemoryMetrics } from '../../../lambdas/adapters/memory/memory-metrics.js';
import { RpcEndpointsFailedError } from '../../../lambdas/chain/rpc-endpoints-failed-error.js';
import type { WaitingGroup } from '../../../lambdas/core/orchestrator/proposer-gateway.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { L1FloorLookupError } from '../../../lambdas/proposer/errors.js';
import type { ProposerRunContext } from '../../../lambdas/proposer/proposer-run-context.js';
import { rangesL1Floor } from '../../../lambdas/proposer/ranges-l1-floor.js';

const known = `0x${'a'.repeat(64)}` as Hex;
const other = `0x${'b'.repeat(64)}` as Hex;
const replacement = `0x${'c'.repeat(64)}` as Hex;
const MEMBERS = ['range-proofs/0-5', 'range-proofs/5-10'];

interface L1Stub {
  byHash(hash: Hex): Promise<{ number: bigint }>;
  /** The canonical hash at a number; defaults to the hash looked up. */
  byNumber?(n: bigint): Hex;
}

/** A run whose waiting group's two ranges were proven against `heads`; L1 answers through `l1`. */
function run(heads: readonly Hex[], l1: L1Stub, superseded: readonly string[] = []) {
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  const reproved: { holderId: string; memberIds: readonly string[]; reason: string }[] = [];
  const lastByNumber = new Map<bigint, Hex>();
  const context = {
    deps: {
      logger,
      metrics,
      orchestrator: {
        waitingMembers: async () => ({
          payloads: heads.map((l1Head) => ({ bootInfo: { l1Head } })),
          reproving: [...superseded],
        }),
        reproveMembers: async (input: (typeof reproved)[number]) => {
          reproved.push(input);
          return { reproving: input.memberIds, notReopenable: [] };
        },
      },
      l1: {
        getBlock: async (query: { blockHash?: Hex; blockNumber?: bigint }) => {
          if (query.blockHash !== undefined) {
            const block = await l1.byHash(query.blockHash);
            lastByNumber.set(block.number, query.blockHash);
            return { ...block, hash: query.blockHash };
          }
          const n = query.blockNumber as bigint;
          return { number: n, hash: l1.byNumber?.(n) ?? lastByNumber.get(n) };
        },
      },
    },
  } as unknown as ProposerRunContext;
  const group = { id: 'aggregate/0-10', memberIds: MEMBERS } as unknown as WaitingGroup;
  return { context, logger, metrics, reproved, group };
}

describe('rangesL1Floor', () => {
  it('takes the floor from the newest l1Head when every one is canonical', async () => {
    // Prepare
    const { context, group, reproved } = run([known, other], {
      byHash: async (hash) => ({ number: hash === known ? 42n : 40n }),
    });
    // Act
    const readiness = await rangesL1Floor(context, group);
    // Assess
    expect(readiness).toEqual({ kind: 'ready', floor: 42n });
    expect(reproved).toEqual([]);
  });

  it('re-proves in place only the range whose l1Head L1 no longer has, and counts the invalidated proof', async () => {
    // Prepare
    const { context, group, reproved, metrics } = run([known, other], {
      byHash: async (hash) => {
        if (hash === other) throw new BlockNotFoundError({ blockHash: hash });
        return { number: 42n };
      },
    });
    // Act
    const readiness = await rangesL1Floor(context, group);
    // Assess
    expect(readiness).toMatchObject({ kind: 'reproving', staleRanges: 1 });
    expect(reproved).toEqual([
      { holderId: 'aggregate/0-10', memberIds: ['range-proofs/5-10'], reason: expect.stringMatching(other) },
    ]);
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: METRIC.reorgWorkInvalidated, value: 1, dimensions: { kind: 'proof' } }),
    );
  });

  it('treats an l1Head the node still serves by hash but that is not L1 block at its number as gone', async () => {
    // Prepare: the node keeps the reorged block 42 by hash; canonical 42 is another block
    const { context, group, reproved } = run([known, other], {
      byHash: async (hash) => ({ number: hash === known ? 42n : 40n }),
      byNumber: (n) => (n === 42n ? replacement : other),
    });
    // Act
    const readiness = await rangesL1Floor(context, group);
    // Assess
    expect(readiness.kind).toBe('reproving');
    expect(reproved.map((r) => r.memberIds)).toEqual([['range-proofs/0-5']]);
  });

  it('waits without a lookup or a new re-proof while a member is being re-proven', async () => {
    // Prepare
    const { context, group, reproved } = run([known, other], { byHash: async () => ({ number: 42n }) }, [
      'range-proofs/5-10',
    ]);
    // Act
    const readiness = await rangesL1Floor(context, group);
    // Assess
    expect(readiness).toEqual({
      kind: 'reproving',
      reason: expect.stringMatching(/range-proofs\/5-10/),
      staleRanges: 0,
    });
    expect(reproved).toEqual([]);
  });

  it('fails naming the head and the RPC failure, not as a reorg, when the lookup itself fails', async () => {
    // Prepare
    const timeout = new TimeoutError({ body: {}, url: 'http://127.0.0.1:9/v2/KEY' });
    const { context, logger, group, reproved } = run([known], {
      byHash: async () => {
        throw new RpcEndpointsFailedError(
          'L1',
          'eth_getBlockByHash',
          ['L1 endpoint #1 (http://127.0.0.1:9/<redacted-url>) timed out after 400 ms'],
          timeout,
        );
      },
    });

    // Act
    const failed = rangesL1Floor(context, group);

    // Assess
    await expect(failed).rejects.toBeInstanceOf(L1FloorLookupError);
    await expect(failed).rejects.toThrow(
      new RegExp(
        `could not look up range l1Head ${known} on L1 .*L1 endpoint #1 \\(http://127.0.0.1:9/<redacted-url>\\) timed out`,
      ),
    );
    expect(logger.entries.filter((entry) => /reorg/.test(entry.message))).toEqual([]);
    expect(reproved).toEqual([]);
  });
});
