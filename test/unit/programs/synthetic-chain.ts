import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import { headerHash, type RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';

/** Genesis header of an anvil 1.7 node (Prague fields), with the hash anvil reported for it. */
export const anvilGenesisHeader: RpcBlockHeader = {
  hash: '0xe5f8c0e799657eef4516e45ef95429942b301c0b9d238245f16a31064b7b5b14',
  parentHash: `0x${'00'.repeat(32)}`,
  sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
  miner: `0x${'00'.repeat(20)}`,
  stateRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  transactionsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  receiptsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  logsBloom: `0x${'00'.repeat(256)}`,
  difficulty: '0x0',
  number: '0x0',
  gasLimit: '0x1c9c380',
  gasUsed: '0x0',
  timestamp: '0x6b0ad920',
  extraData: '0x',
  mixHash: `0x${'00'.repeat(32)}`,
  nonce: '0x0000000000000000',
  baseFeePerGas: '0x3b9aca00',
  withdrawalsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  blobGasUsed: '0x0',
  excessBlobGas: '0x0',
  parentBeaconBlockRoot: `0x${'00'.repeat(32)}`,
  requestsHash: '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

/**
 * A consistent header chain `from … to` (hashes recomputed), each block with a distinct state root
 * (`stateRootOf(n)` when given).
 */
export function syntheticChain(
  from: bigint,
  to: bigint,
  salt = 1,
  stateRootOf?: (n: bigint) => string,
): RpcBlockHeader[] {
  const headers: RpcBlockHeader[] = [];
  let parentHash: string = `0x${salt.toString(16).padStart(64, '0')}`;
  for (let n = from; n <= to; n++) {
    const header: RpcBlockHeader = {
      ...anvilGenesisHeader,
      number: `0x${n.toString(16)}`,
      parentHash,
      stateRoot: stateRootOf?.(n) ?? `0x${(n + BigInt(salt) * 1000n).toString(16).padStart(64, '0')}`,
      hash: '0x',
    };
    header.hash = headerHash(header);
    headers.push(header);
    parentHash = header.hash;
  }
  return headers;
}

export function bytes32(byte: string): Hex {
  return `0x${byte.repeat(32)}`;
}
