import { createPublicClient, type Hex, http, type PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { proveRange } from '../../../batch-jobs/programs/range/prove-range.js';
import { createRangeHost } from '../../../batch-jobs/programs/range/range-host.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { headerHash, type RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { devnetRollupConfigPath } from './program-devnet.js';
import { backend, useRangeAggregateDevnet } from './range-aggregate-fixture.js';

describe('range + aggregate programs on anvil, proposed to the L1 oracle', () => {
  const { devnet, rangeRequest, rangeHost, prove } = useRangeAggregateDevnet();

  it('rejects a range whose watcher-observed block hash differs from the chain (reorg guard)', async () => {
    // Prepare
    const s = devnet().startBlock;
    const block = await devnet().l2.getBlock({ blockNumber: s + 2n });
    const request = rangeRequest(s, s + 4n, {
      blocks: [{ number: String(s + 2n), hash: `0x${'12'.repeat(32)}`, parentHash: block.parentHash }],
    });

    // Act
    const refused = prove(request);

    // Assess
    await expect(refused).rejects.toThrow(`L2 block ${s + 2n}: the watcher saw hash 0x${'12'.repeat(32)}`);
  });

  it('rejects real headers whose parent-hash chain is broken, naming the block', async () => {
    // Prepare
    const s = devnet().startBlock;
    const input = await rangeHost().prepareInput(rangeRequest(s, s + 4n));
    const third = input.headers[2] as RpcBlockHeader;
    const forged = { ...third, parentHash: `0x${'34'.repeat(32)}` };
    input.headers[2] = { ...forged, hash: headerHash(forged) };

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(
      `[parent-hash]: L2 block ${s + 2n}: parentHash 0x${'34'.repeat(32)} is not the hash`,
    );
  });

  it('rejects real headers whose claimed hash is not keccak256(rlp(header))', async () => {
    // Prepare
    const s = devnet().startBlock;
    const input = await rangeHost().prepareInput(rangeRequest(s, s + 4n));
    input.headers[1] = { ...(input.headers[1] as RpcBlockHeader), gasUsed: '0x1' };

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(`[header-hash]: L2 block ${s + 1n}: keccak256(rlp(header))`);
  });

  it('rejects a claimed rollupConfigHash that the config file does not hash to', async () => {
    // Prepare
    const s = devnet().startBlock;
    const request = rangeRequest(s, s + 4n, { rollupConfigHash: `0x${'77'.repeat(32)}` });

    // Act
    const refused = prove(request);

    // Assess
    await expect(refused).rejects.toThrow('[rollup-config-hash]');
  });

  it('rejects real message-passer account proofs swapped between the pre and post blocks', async () => {
    // Prepare: the range holds withdrawals, so the two storage roots differ.
    const s = devnet().startBlock;
    const input = await rangeHost().prepareInput(rangeRequest(s, s + 4n));
    input.postMessagePasserAccountProof = input.preMessagePasserAccountProof;

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(
      `[message-passer-proof]: L2 block ${s + 4n}: the message passer account proof does not verify against stateRoot`,
    );
  });

  it('refuses to prove when the L2 node answers eth_getProof from another block than the header', async () => {
    // Prepare: a node whose proofs lag one block behind its headers (a `safe` head moving in between).
    const s = devnet().startBlock;
    const lagging = createPublicClient({
      transport: http(devnet().chains.l2.rpcUrl, {
        fetchFn: async (input, init) => {
          const body = JSON.parse(String(init?.body)) as { method: string; params: unknown[] };
          if (body.method === 'eth_getProof') {
            const [address, keys, at] = body.params as [string, string[], { blockHash: Hex }];
            const block = await devnet().l2.getBlock({ blockHash: at.blockHash });
            body.params = [address, keys, `0x${(block.number - 1n).toString(16)}`];
          }
          return fetch(input, { ...init, body: JSON.stringify(body) });
        },
      }),
    }) as PublicClient;

    // Act
    const refused = proveRange(rangeRequest(s, s + 4n), {
      host: createRangeHost({ l1: devnet().l1, l2: lagging, rollupConfigPath: devnetRollupConfigPath }),
      backend,
    });

    // Assess
    await expect(refused).rejects.toThrow(
      /^L2 block \d+ \(0x[0-9a-f]{64}\): the message passer proof does not verify against the block's stateRoot/,
    );
  });
});
