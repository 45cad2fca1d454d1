import { keccak_256 } from '@noble/hashes/sha3.js';
import { toHex } from '../../hex-bytes.js';
import { type RlpItem, rlpEncode } from '../encoding/rlp.js';
import { rlpDecode } from '../encoding/rlp-decode.js';
import { TrieProofError } from './trie-proof-error.js';

type NodeRef = { readonly hash: Uint8Array } | { readonly inline: readonly RlpItem[] };
type Step =
  | { readonly value: Uint8Array | undefined }
  | { readonly next: NodeRef; readonly consumed: number };

/**
 * Verifies a Merkle-Patricia trie proof (`eth_getProof` style: the RLP nodes on the path from the
 * root, root first) for `key` against `root`. Every node must hash to the reference its parent holds
 * (the first to `root`); branch, extension and leaf nodes are followed by the key's nibbles. Returns
 * the value stored under `key`, or `undefined` when the proof shows the key is absent. Nodes of 31
 * bytes or less embedded in their parent are followed in place, as the trie stores them.
 *
 * @throws TrieProofError naming the node that does not fit (wrong hash, malformed, missing, extra).
 */
export function verifyMerkleProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  const nibbles = toNibbles(key);
  let ref: NodeRef = { hash: root };
  let used = 0;
  let position = 0;
  for (;;) {
    let node: readonly RlpItem[];
    if ('hash' in ref) {
      const encoded = proof[used];
      if (encoded === undefined) {
        throw new TrieProofError(
          `proof ends after ${used} node(s) but the path continues to node ${toHex(ref.hash)}`,
        );
      }
      const hash = keccak_256(encoded);
      if (!sameBytes(hash, ref.hash)) {
        throw new TrieProofError(
          used === 0
            ? `root node hashes to ${toHex(hash)}, not the trie root ${toHex(root)}`
            : `node #${used} hashes to ${toHex(hash)} but its parent references ${toHex(ref.hash)}`,
        );
      }
      node = decodeNode(encoded, used);
      used++;
    } else {
      node = ref.inline;
    }
    const step = followNode(node, nibbles, position, used - 1);
    if ('value' in step) {
      if (used !== proof.length)
        throw new TrieProofError(
          `${proof.length - used} node(s) follow the end of the path (node #${used} on)`,
        );
      return step.value;
    }
    ref = step.next;
    position += step.consumed;
  }
}

function followNode(node: readonly RlpItem[], nibbles: number[], position: number, index: number): Step {
  if (node.length === 17) {
    if (position === nibbles.length) {
      const value = bytesItem(node[16], index, 'branch value');
      return { value: value.length === 0 ? undefined : value };
    }
    const child = node[nibbles[position] as number];
    if (child instanceof Uint8Array && child.length === 0) return { value: undefined };
    return { next: childRef(child, index), consumed: 1 };
  }
  if (node.length === 2) {
    const { path, leaf } = decodeCompactPath(bytesItem(node[0], index, 'path'), index);
    const rest = nibbles.slice(position);
    if (leaf) {
      const matches = rest.length === path.length && path.every((nibble, i) => nibble === rest[i]);
      return { value: matches ? bytesItem(node[1], index, 'leaf value') : undefined };
    }
    if (path.length === 0) throw new TrieProofError(`node #${index} is an extension with an empty path`);
    const matches = path.length <= rest.length && path.every((nibble, i) => nibble === rest[i]);
    if (!matches) return { value: undefined };
    return { next: childRef(node[1], index), consumed: path.length };
  }
  throw new TrieProofError(`node #${index} has ${node.length} items; a trie node has 2 or 17`);
}

function decodeNode(encoded: Uint8Array, index: number): readonly RlpItem[] {
  let item: RlpItem;
  try {
    item = rlpDecode(encoded);
  } catch (cause) {
    throw new TrieProofError(`node #${index} is not RLP: ${(cause as Error).message}`, { cause });
  }
  if (item instanceof Uint8Array) throw new TrieProofError(`node #${index} is a byte string, not a list`);
  return item;
}

function childRef(child: RlpItem | undefined, index: number): NodeRef {
  if (child instanceof Uint8Array) {
    if (child.length !== 32) {
      throw new TrieProofError(
        `node #${index} references a child by ${child.length} bytes; a reference is a 32-byte hash`,
      );
    }
    return { hash: child };
  }
  if (child === undefined || rlpEncode(child).length >= 32)
    throw new TrieProofError(`node #${index} embeds a child of 32 bytes or more instead of hashing it`);
  return { inline: child };
}

function bytesItem(item: RlpItem | undefined, index: number, what: string): Uint8Array {
  if (!(item instanceof Uint8Array))
    throw new TrieProofError(`node #${index}: the ${what} is not a byte string`);
  return item;
}

/** Hex-prefix ("compact") path decoding: flag nibble 0/1 extension even/odd, 2/3 leaf even/odd. */
function decodeCompactPath(encoded: Uint8Array, index: number): { path: number[]; leaf: boolean } {
  const nibbles = toNibbles(encoded);
  const flag = nibbles[0];
  if (flag === undefined || flag > 3) throw new TrieProofError(`node #${index} has an invalid path prefix`);
  const odd = (flag & 1) === 1;
  if (!odd && nibbles[1] !== 0) throw new TrieProofError(`node #${index} has an invalid even path prefix`);
  return { path: nibbles.slice(odd ? 1 : 2), leaf: flag >= 2 };
}

function toNibbles(bytes: Uint8Array): number[] {
  const nibbles: number[] = [];
  for (const byte of bytes) nibbles.push(byte >> 4, byte & 0x0f);
  return nibbles;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
