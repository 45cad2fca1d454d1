import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { bytesToHex, hexToBytes, toRlp } from 'viem';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../lambdas/chain/hex-bytes.js';
import { type RlpItem, rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';
import { RlpDecodeError, rlpDecode } from '../../../lambdas/chain/l2-state/encoding/rlp-decode.js';
import { TrieProofError } from '../../../lambdas/chain/l2-state/trie/trie-proof-error.js';
import { verifyAccountProof } from '../../../lambdas/chain/l2-state/trie/verify-account-proof.js';
import { verifyMerkleProof } from '../../../lambdas/chain/l2-state/trie/verify-merkle-proof.js';
import { accountRlp } from './message-passer-state.js';
import { buildTrie, compactPath } from './trie-builder.js';

const rlpItem: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('item'), { maxLength: 4 }),
  ),
})).item;

/** Tries of distinct fixed-length keys: 1-byte keys give embedded (< 32 byte) nodes, 32-byte keys hashed ones. */
const trieEntries = fc.integer({ min: 1, max: 32 }).chain((keyLength) =>
  fc
    .uniqueArray(fc.uint8Array({ minLength: keyLength, maxLength: keyLength }), {
      minLength: 1,
      maxLength: 24,
      selector: (key) => bytesToHex(key),
    })
    .chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), {
          minLength: keys.length,
          maxLength: keys.length,
        }),
        fc.uint8Array({ minLength: keyLength, maxLength: keyLength }),
      ),
    ),
);

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('rlpDecode', () => {
  it('inverts rlpEncode and agrees with viem toRlp on arbitrary nested items', () => {
    fc.assert(
      fc.property(rlpItem, (item) => {
        const encoded = hexToBytes(toRlp(toViem(item) as `0x${string}`));
        expect(rlpDecode(encoded)).toEqual(normalise(item));
        expect(rlpEncode(rlpDecode(encoded))).toEqual(encoded);
      }),
    );
  });

  it.each([
    ['a prefixed single byte below 0x80', '0x8105', 'must not carry a prefix'],
    ['the long form for a short string', '0xb80161', 'uses the long form for 1 bytes'],
    ['a length with a leading zero', `0xb90038${'61'.repeat(56)}`, 'has a leading zero'],
    ['a payload shorter than claimed', '0x83646f', 'claims 3 bytes, only 2 left'],
    ['trailing bytes', '0x83646f6700', '1 trailing byte(s)'],
    ['a list item running past its list', '0xc283646f67', 'claims 3 bytes, only 1 left'],
    ['no bytes at all', '0x', 'input ends at offset 0'],
  ])('refuses %s', (_name, hex, message) => {
    // Act
    const error = thrown(() => rlpDecode(hexToBytes(hex as `0x${string}`)));

    // Assess
    expect(error).toBeInstanceOf(RlpDecodeError);
    expect((error as Error).message).toContain(message);
  });
});

describe('verifyMerkleProof', () => {
  it('proves every key of a trie and the absence of other keys', () => {
    fc.assert(
      fc.property(trieEntries, ([keys, values, probe]) => {
        // Prepare
        const trie = buildTrie(keys.map((key, i) => [key, values[i] as Uint8Array]));

        // Act / Assess
        keys.forEach((key, i) => {
          expect(verifyMerkleProof(trie.root, key, trie.proof(key))).toEqual(values[i]);
        });
        const stored = keys.findIndex((key) => bytesToHex(key) === bytesToHex(probe));
        expect(verifyMerkleProof(trie.root, probe, trie.proof(probe))).toEqual(
          stored === -1 ? undefined : values[stored],
        );
      }),
    );
  });

  it('refuses a proof with any byte of any node changed, naming that node', () => {
    fc.assert(
      fc.property(
        trieEntries,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (entries, n, b, flip) => {
          // Prepare
          const [keys, values] = entries;
          const trie = buildTrie(keys.map((key, i) => [key, values[i] as Uint8Array]));
          const key = keys[n % keys.length] as Uint8Array;
          const proof = trie.proof(key).map((node) => node.slice());
          const nodeIndex = n % proof.length;
          const node = proof[nodeIndex] as Uint8Array;
          node[b % node.length] = (node[b % node.length] as number) ^ flip;

          // Act
          const error = thrown(() => verifyMerkleProof(trie.root, key, proof));

          // Assess
          expect(error).toBeInstanceOf(TrieProofError);
          expect((error as Error).message).toMatch(
            nodeIndex === 0 ? /^root node hashes to/ : `node #${nodeIndex} hashes to`,
          );
        },
      ),
    );
  });

  it('follows an extension node and a branch to an embedded leaf', () => {
    // Prepare: keys 0x12 and 0x13 share nibble 1 (extension), split at nibble 2/3 (branch), short leaves.
    const trie = buildTrie([
      [Uint8Array.of(0x12), Uint8Array.of(0xaa)],
      [Uint8Array.of(0x13), Uint8Array.of(0xbb)],
    ]);

    // Act
    const proof = trie.proof(Uint8Array.of(0x13));

    // Assess
    expect(proof).toHaveLength(1);
    expect(verifyMerkleProof(trie.root, Uint8Array.of(0x13), proof)).toEqual(Uint8Array.of(0xbb));
    expect(verifyMerkleProof(trie.root, Uint8Array.of(0x14), proof)).toBeUndefined();
    expect(verifyMerkleProof(trie.root, Uint8Array.of(0x23), proof)).toBeUndefined();
  });

  it.each([
    {
      name: 'a proof that stops before the leaf',
      proof: (full: Uint8Array[]) => full.slice(0, -1),
      message: /^proof ends after \d node\(s\) but the path continues to node 0x/,
    },
    {
      name: 'extra nodes after the leaf',
      proof: (full: Uint8Array[]) => [...full, full[full.length - 1] as Uint8Array],
      message: /^1 node\(s\) follow the end of the path/,
    },
    { name: 'an empty proof', proof: () => [], message: /^proof ends after 0 node\(s\)/ },
  ])('refuses $name', ({ proof, message }) => {
    // Prepare
    const keys = [0x11, 0x22, 0x33].map((b) => keccak_256(Uint8Array.of(b)));
    const trie = buildTrie(keys.map((key) => [key, accountRlp({ storageRoot: `0x${'56'.repeat(32)}` })]));

    // Act
    const error = thrown(() =>
      verifyMerkleProof(trie.root, keys[1] as Uint8Array, proof(trie.proof(keys[1] as Uint8Array))),
    );

    // Assess
    expect(error).toBeInstanceOf(TrieProofError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses nodes that are not trie nodes, though they hash right', () => {
    // Prepare
    const notANode = rlpEncode([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    const badPrefix = rlpEncode([Uint8Array.of(0x41), Uint8Array.of(1)]);
    const shortReference = rlpEncode([compactPath([1], false), Uint8Array.of(1, 2, 3)]);

    // Act / Assess
    expect(() => verifyMerkleProof(keccak_256(notANode), Uint8Array.of(1), [notANode])).toThrow(
      'node #0 has 3 items; a trie node has 2 or 17',
    );
    expect(() => verifyMerkleProof(keccak_256(badPrefix), Uint8Array.of(1), [badPrefix])).toThrow(
      'node #0 has an invalid path prefix',
    );
    expect(() =>
      verifyMerkleProof(keccak_256(shortReference), Uint8Array.of(0x12), [shortReference]),
    ).toThrow('node #0 references a child by 3 bytes');
  });
});

describe('verifyAccountProof', () => {
  it('decodes the proven account and refuses a wrong state root', () => {
    // Prepare
    const address = '0x4200000000000000000000000000000000000016';
    const key = keccak_256(hexToBytes(address));
    const storageRoot = toHex(keccak_256(Uint8Array.of(7)));
    const trie = buildTrie([
      [key, accountRlp({ nonce: 3n, balance: 1000n, storageRoot })],
      [keccak_256(Uint8Array.of(1)), accountRlp({ storageRoot })],
    ]);
    const proof = trie.proof(key).map(toHex);

    // Act
    const account = verifyAccountProof(toHex(trie.root), address, proof);
    const wrongRoot = thrown(() => verifyAccountProof(`0x${'00'.repeat(32)}`, address, proof));

    // Assess
    expect(account).toEqual({
      nonce: 3n,
      balance: 1000n,
      storageRoot,
      codeHash: '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    });
    expect(wrongRoot).toBeInstanceOf(TrieProofError);
    expect((wrongRoot as Error).message).toContain(`not the trie root 0x${'00'.repeat(32)}`);
  });

  it('refuses an account value that is not [nonce, balance, storageRoot, codeHash]', () => {
    // Prepare
    const address = '0x00000000000000000000000000000000000000aa';
    const key = keccak_256(hexToBytes(address));
    const trie = buildTrie([[key, rlpEncode([Uint8Array.of(1), Uint8Array.of(2)])]]);

    // Act / Assess
    expect(() => verifyAccountProof(toHex(trie.root), address, trie.proof(key).map(toHex))).toThrow(
      `account ${address} in the proof is malformed: expected [nonce, balance, storageRoot, codeHash]`,
    );
  });
});

type HexTree = `0x${string}` | readonly HexTree[];

function toViem(item: RlpItem): HexTree {
  return item instanceof Uint8Array ? bytesToHex(item) : item.map(toViem);
}

function normalise(item: RlpItem): RlpItem {
  return item instanceof Uint8Array ? Uint8Array.from(item) : item.map(normalise);
}
