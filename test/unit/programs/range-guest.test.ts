import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { headerHash, type RpcBlockHeader } from '../../../lambdas/programs/block-header/block-header.js';
import { outputRootV0 } from '../../../lambdas/programs/output-root.js';
import { decodeBootInfo } from '../../../lambdas/programs/range/boot-info.js';
import type { RangeGuestInput } from '../../../lambdas/programs/range/range-guest-input.js';
import { rangeProgram } from '../../../lambdas/programs/range/range-program.js';
import { createMockBackend } from '../../../lambdas/zkvm/backends/mock-backend.js';
import { toHex } from '../../../lambdas/zkvm/hex-bytes.js';
import { bytes32, syntheticChain } from './synthetic-chain.js';

const config = new TextEncoder().encode('{"l2_chain_id":901}');
const backend = createMockBackend();

function rangeInput(start: bigint, end: bigint): RangeGuestInput {
  return {
    start: String(start),
    end: String(end),
    l1Head: bytes32('11'),
    rollupConfigHash: toHex(sha256(config)),
    rollupConfig: toHex(config),
    headers: syntheticChain(start, end),
    preMessagePasserStorageRoot: bytes32('a1'),
    postMessagePasserStorageRoot: bytes32('a2'),
  };
}

describe('range guest', () => {
  it('commits BootInfo with the pre and post output roots of a valid chain', async () => {
    // Prepare
    const input = rangeInput(100n, 105n);
    const pre = input.headers[0] as RpcBlockHeader;
    const post = input.headers[5] as RpcBlockHeader;

    // Act
    const { publicValues, cycles } = await backend.execute(rangeProgram, input);

    // Assess
    expect(decodeBootInfo(publicValues)).toEqual({
      l1Head: bytes32('11'),
      l2PreRoot: outputRootV0(pre.stateRoot, bytes32('a1'), pre.hash),
      l2PostRoot: outputRootV0(post.stateRoot, bytes32('a2'), post.hash),
      l2BlockNumber: '105',
      rollupConfigHash: toHex(sha256(config)),
    });
    expect(cycles).toBeGreaterThanOrEqual(6);
  });

  it.each([
    {
      name: 'a broken parent-hash link',
      tamper: (input: RangeGuestInput) => {
        const forged = { ...(input.headers[3] as RpcBlockHeader), parentHash: bytes32('99') };
        input.headers[3] = { ...forged, hash: headerHash(forged) };
      },
      error: `[parent-hash]: L2 block 103: parentHash ${bytes32('99')} is not the hash`,
    },
    {
      name: 'a header whose claimed hash is not its RLP hash',
      tamper: (input: RangeGuestInput) => {
        input.headers[2] = { ...(input.headers[2] as RpcBlockHeader), stateRoot: bytes32('98') };
      },
      error: '[header-hash]: L2 block 102: keccak256(rlp(header))',
    },
    {
      name: 'a missing header',
      tamper: (input: RangeGuestInput) => {
        input.headers.pop();
      },
      error: '[header-count]: range 100-105 needs 6 headers (blocks 100…105), got 5',
    },
    {
      name: 'headers of other blocks',
      tamper: (input: RangeGuestInput) => {
        input.headers = syntheticChain(101n, 106n);
      },
      error: '[header-numbers]: L2 header #0 is block 101, expected block 100',
    },
    {
      name: 'a rollup config that does not hash to the claimed hash',
      tamper: (input: RangeGuestInput) => {
        input.rollupConfig = toHex(new TextEncoder().encode('{"l2_chain_id":902}'));
      },
      error: '[rollup-config-hash]: range 100-105: sha256 of the rollup config is',
    },
    {
      name: 'an empty range',
      tamper: (input: RangeGuestInput) => {
        input.end = input.start;
      },
      error: '[range-bounds]: range 100-100: end must be greater than start',
    },
  ])('rejects $name', async ({ tamper, error }) => {
    // Prepare
    const input = rangeInput(100n, 105n);
    tamper(input);

    // Act
    const refused = backend.prove(rangeProgram, input, 'compressed');

    // Assess
    await expect(refused).rejects.toThrow(error);
  });
});
