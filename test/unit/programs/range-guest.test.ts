import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { decodeBootInfo } from '../../../batch-jobs/programs/range/boot-info.js';
import type { RangeGuestInput } from '../../../batch-jobs/programs/range/range-guest-input.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { fromHex, type Hex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import { headerHash, type RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';
import { rlpDecode } from '../../../lambdas/chain/l2-state/encoding/rlp-decode.js';
import { outputRootV0 } from '../../../lambdas/chain/l2-state/output-root.js';
import { accountRlp, messagePasserState, storageRootAt } from './message-passer-state.js';
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
    headers: syntheticChain(start, end, 1, (n) => messagePasserState(storageRootAt(n)).stateRoot),
    preMessagePasserAccountProof: messagePasserState(storageRootAt(start)).accountProof,
    postMessagePasserAccountProof: messagePasserState(storageRootAt(end)).accountProof,
  };
}

/** The leaf of a proof re-encoded with another storage root (the other nodes unchanged). */
function withLeafStorageRoot(proof: readonly Hex[], storageRoot: Hex): Hex[] {
  const leaf = rlpDecode(fromHex(proof[proof.length - 1] as Hex, 'leaf')) as Uint8Array[];
  const forged = rlpEncode([leaf[0] as Uint8Array, accountRlp({ nonce: 1n, storageRoot })]);
  return [...proof.slice(0, -1), toHex(forged)];
}

describe('range guest', () => {
  it('commits BootInfo with output roots from the proven message-passer storage roots', async () => {
    // Prepare
    const input = rangeInput(100n, 105n);
    const pre = input.headers[0] as RpcBlockHeader;
    const post = input.headers[5] as RpcBlockHeader;

    // Act
    const { publicValues, cycles } = await backend.execute(rangeProgram, input);

    // Assess
    expect(decodeBootInfo(publicValues)).toEqual({
      l1Head: bytes32('11'),
      l2PreRoot: outputRootV0(pre.stateRoot, storageRootAt(100n), pre.hash),
      l2PostRoot: outputRootV0(post.stateRoot, storageRootAt(105n), post.hash),
      l2BlockNumber: '105',
      rollupConfigHash: toHex(sha256(config)),
    });
    expect(input.preMessagePasserAccountProof.length).toBeGreaterThan(1);
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
    {
      name: 'a tampered storage root in the message-passer leaf',
      tamper: (input: RangeGuestInput) => {
        input.postMessagePasserAccountProof = withLeafStorageRoot(
          input.postMessagePasserAccountProof,
          bytes32('66'),
        );
      },
      error:
        /\[message-passer-proof\]: L2 block 105: .*node #[12] hashes to 0x[0-9a-f]{64} but its parent references/,
    },
    {
      name: 'a tampered storage root with every node re-hashed up to a new root',
      tamper: (input: RangeGuestInput) => {
        input.preMessagePasserAccountProof = messagePasserState(bytes32('66')).accountProof;
      },
      error:
        /\[message-passer-proof\]: L2 block 100: .*root node hashes to 0x[0-9a-f]{64}, not the trie root/,
    },
    {
      name: 'a tampered branch node',
      tamper: (input: RangeGuestInput) => {
        const [branch, ...rest] = input.preMessagePasserAccountProof as [Hex, ...Hex[]];
        input.preMessagePasserAccountProof = [`${branch.slice(0, -2)}01` as Hex, ...rest];
      },
      error: /\[message-passer-proof\]: L2 block 100: .*root node hashes to/,
    },
    {
      name: "the account proof of another block's state (wrong state root)",
      tamper: (input: RangeGuestInput) => {
        input.postMessagePasserAccountProof = input.preMessagePasserAccountProof;
      },
      error: `[message-passer-proof]: L2 block 105: the message passer account proof does not verify against stateRoot ${messagePasserState(storageRootAt(105n)).stateRoot}`,
    },
    {
      name: 'a proof cut short',
      tamper: (input: RangeGuestInput) => {
        input.postMessagePasserAccountProof = input.postMessagePasserAccountProof.slice(0, 1);
      },
      error:
        '[message-passer-proof]: L2 block 105: the message passer account proof does not verify against stateRoot',
    },
    {
      name: 'proof nodes that are not hex',
      tamper: (input: RangeGuestInput) => {
        input.preMessagePasserAccountProof = ['0xzz' as Hex];
      },
      error: '[message-passer-proof]: L2 block 100',
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

  it('rejects a state without the message passer, naming the check', async () => {
    // Prepare
    const input = rangeInput(100n, 105n);
    const empty = messagePasserState(undefined);
    const forged = { ...(input.headers[5] as RpcBlockHeader), stateRoot: empty.stateRoot };
    input.headers[5] = { ...forged, hash: headerHash(forged) };
    input.postMessagePasserAccountProof = empty.accountProof;

    // Act
    const refused = backend.execute(rangeProgram, input);

    // Assess
    await expect(refused).rejects.toThrow(
      `[message-passer-account]: L2 block 105: the account proof shows no message passer in state ${empty.stateRoot}`,
    );
    expect(toHex(keccak_256(fromHex(empty.accountProof[0] as Hex, 'root')))).toBe(empty.stateRoot);
  });
});
