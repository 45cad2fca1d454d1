import { keccak_256 } from '@noble/hashes/sha3.js';
import { type RlpItem, rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';

/** A trie node as built here: the RLP item it encodes to, and its children for walking proofs. */
type TrieNode =
  | { kind: 'leaf'; path: number[]; item: RlpItem }
  | { kind: 'extension'; path: number[]; child: TrieNode; item: RlpItem }
  | { kind: 'branch'; children: (TrieNode | undefined)[]; item: RlpItem };

/** An in-memory Merkle-Patricia trie (Ethereum yellow paper, appendix D), built once from its entries. */
export interface BuiltTrie {
  readonly root: Uint8Array;
  /** The proof of `key` as `eth_getProof` gives it: hashed nodes on the path, root first. */
  proof(key: Uint8Array): Uint8Array[];
}

/** Builds the trie of `entries` (distinct keys of one length, non-empty values). */
export function buildTrie(entries: readonly (readonly [Uint8Array, Uint8Array])[]): BuiltTrie {
  if (entries.length === 0) throw new Error('buildTrie needs at least one entry');
  const rootNode = buildNode(entries.map(([key, value]) => ({ path: nibbles(key), value })));
  return {
    root: keccak_256(rlpEncode(rootNode.item)),
    proof(key) {
      const path = nibbles(key);
      const out = [rlpEncode(rootNode.item)];
      let node: TrieNode | undefined = rootNode;
      let position = 0;
      while (node !== undefined) {
        let next: TrieNode | undefined;
        if (node.kind === 'extension' && startsWith(path.slice(position), node.path)) {
          position += node.path.length;
          next = node.child;
        } else if (node.kind === 'branch' && position < path.length) {
          next = node.children[path[position] as number];
          position++;
        }
        if (next !== undefined && rlpEncode(next.item).length >= 32) out.push(rlpEncode(next.item));
        node = next;
      }
      return out;
    },
  };
}

/** Hex-prefix encoding of a nibble path (leaf flag 2, extension 0, +1 when odd). */
export function compactPath(path: readonly number[], leaf: boolean): Uint8Array {
  const flag = (leaf ? 2 : 0) + (path.length % 2);
  const all = path.length % 2 === 1 ? [flag, ...path] : [flag, 0, ...path];
  return Uint8Array.from(
    { length: all.length / 2 },
    (_, i) => ((all[2 * i] ?? 0) << 4) | (all[2 * i + 1] ?? 0),
  );
}

function buildNode(entries: { path: number[]; value: Uint8Array }[]): TrieNode {
  const [only] = entries;
  if (entries.length === 1 && only !== undefined)
    return { kind: 'leaf', path: only.path, item: [compactPath(only.path, true), only.value] };
  const prefix = commonPrefix(entries.map((entry) => entry.path));
  if (prefix.length > 0) {
    const child = buildNode(entries.map((entry) => ({ ...entry, path: entry.path.slice(prefix.length) })));
    return { kind: 'extension', path: prefix, child, item: [compactPath(prefix, false), reference(child)] };
  }
  const children = Array.from({ length: 16 }, (_, nibble) => {
    const group = entries.filter((entry) => entry.path[0] === nibble);
    return group.length === 0
      ? undefined
      : buildNode(group.map((entry) => ({ ...entry, path: entry.path.slice(1) })));
  });
  const item: RlpItem[] = children.map((child) =>
    child === undefined ? new Uint8Array(0) : reference(child),
  );
  item.push(new Uint8Array(0));
  return { kind: 'branch', children, item };
}

function reference(node: TrieNode): RlpItem {
  const encoded = rlpEncode(node.item);
  return encoded.length < 32 ? node.item : keccak_256(encoded);
}

function commonPrefix(paths: readonly number[][]): number[] {
  const first = paths[0] ?? [];
  let length = 0;
  while (length < first.length && paths.every((path) => path[length] === first[length])) length++;
  return first.slice(0, length);
}

function startsWith(path: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= path.length && prefix.every((nibble, i) => nibble === path[i]);
}

function nibbles(bytes: Uint8Array): number[] {
  return [...bytes].flatMap((byte) => [byte >> 4, byte & 0x0f]);
}
