import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  parseGwei,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { seedMessagePasser } from '../../../devnet/chains/seed-message-passer.js';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { l2ToL1MessagePasserAbi } from '../../../lambdas/chain/abi/L2ToL1MessagePasser.generated.js';
import { fromHex, toHex } from '../../../lambdas/chain/hex-bytes.js';
import { rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';
import { rlpDecode } from '../../../lambdas/chain/l2-state/encoding/rlp-decode.js';
import { fetchMessagePasserProof } from '../../../lambdas/chain/l2-state/fetch-message-passer-proof.js';
import { MessagePasserProofError } from '../../../lambdas/chain/l2-state/message-passer-proof-error.js';
import { TrieProofError } from '../../../lambdas/chain/l2-state/trie/trie-proof-error.js';
import { verifyAccountProof } from '../../../lambdas/chain/l2-state/trie/verify-account-proof.js';

const messagePasser: Address = '0x4200000000000000000000000000000000000016';
const recipient: Address = '0x000000000000000000000000000000000000dEaD';
const neverUsed: Address = '0x00000000000000000000000000000000c0ffee01';

interface RpcProof {
  nonce: Hex;
  balance: Hex;
  storageHash: Hex;
  codeHash: Hex;
  accountProof: Hex[];
}

async function rawRpc<T>(rpcUrl: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await response.json()) as { result: T }).result;
}

describe('account proofs of a real anvil L2', () => {
  let l2: AnvilInstance;
  let unseededBlock: bigint;
  let seededBlock: bigint;
  let withdrawalBlock: bigint;
  const block = (n: bigint) =>
    rawRpc<{ hash: Hex; stateRoot: Hex; number: Hex }>(l2.rpcUrl, 'eth_getBlockByNumber', [
      `0x${n.toString(16)}`,
      false,
    ]);
  const proof = (address: Address, n: bigint) =>
    rawRpc<RpcProof>(l2.rpcUrl, 'eth_getProof', [address, [], `0x${n.toString(16)}`]);

  beforeAll(async () => {
    l2 = await startAnvil({ chainId: 901, optimism: true });
    const chain = localChain(901, l2.rpcUrl);
    const client = createPublicClient({ chain, transport: http(l2.rpcUrl) });
    const testClient = createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) });
    // anvil's genesis header carries the empty-trie stateRoot whatever its state, and anvil_setCode
    // rewrites the state of the block that is latest at the time: use a mined block before that one.
    await testClient.mine({ blocks: 2 });
    unseededBlock = (await client.getBlockNumber({ cacheTime: 0 })) - 1n;
    await seedMessagePasser(l2.rpcUrl);
    await testClient.mine({ blocks: 1 });
    seededBlock = await client.getBlockNumber({ cacheTime: 0 });
    const wallet = createWalletClient({ account: devAccount(5), chain, transport: http(l2.rpcUrl) });
    await client.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: recipient, value: parseGwei('1') }),
    });
    const receipt = await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: messagePasser,
        abi: l2ToL1MessagePasserAbi,
        functionName: 'initiateWithdrawal',
        args: [wallet.account.address, 100_000n, '0x1234'],
        value: parseGwei('1'),
      }),
    });
    withdrawalBlock = receipt.blockNumber;
  });

  afterAll(async () => {
    await l2?.stop();
  });

  it('verifies eth_getProof account proofs against the block stateRoot and decodes the accounts', async () => {
    const cases: [bigint, Address][] = [
      [seededBlock, messagePasser],
      [seededBlock, devAccount(5).address],
      [withdrawalBlock, messagePasser],
      [withdrawalBlock, devAccount(5).address],
      [withdrawalBlock, recipient],
    ];
    for (const [n, address] of cases) {
      {
        // Prepare
        const [header, rpc] = await Promise.all([block(n), proof(address, n)]);

        // Act
        const account = verifyAccountProof(header.stateRoot, address, rpc.accountProof);

        // Assess
        expect(account).toEqual({
          nonce: BigInt(rpc.nonce),
          balance: BigInt(rpc.balance),
          storageRoot: rpc.storageHash,
          codeHash: rpc.codeHash,
        });
      }
    }
  });

  it('verifies the exclusion proof of an account that does not exist (yet)', async () => {
    for (const [n, address] of [
      [withdrawalBlock, neverUsed],
      [seededBlock, recipient],
      [unseededBlock, messagePasser],
    ] as const) {
      // Prepare
      const [header, rpc] = await Promise.all([block(n), proof(address, n)]);

      // Act
      const account = verifyAccountProof(header.stateRoot, address, rpc.accountProof);

      // Assess
      expect(account).toBeUndefined();
    }
  });

  it('refuses a real proof with a tampered node, a tampered storage root, or another block state root', async () => {
    // Prepare
    const [header, previous, rpc] = await Promise.all([
      block(withdrawalBlock),
      block(withdrawalBlock - 1n),
      proof(messagePasser, withdrawalBlock),
    ]);
    const nodes = rpc.accountProof;
    const middle = fromHex(nodes[1] as Hex, 'node');
    middle[10] = (middle[10] as number) ^ 0xff;
    const tamperedNode = [nodes[0] as Hex, toHex(middle), ...nodes.slice(2)];
    const leaf = rlpDecode(fromHex(nodes[nodes.length - 1] as Hex, 'leaf')) as [Uint8Array, Uint8Array];
    const account = rlpDecode(leaf[1]) as Uint8Array[];
    account[2] = keccak_256(Uint8Array.of(1));
    const tamperedStorage = [...nodes.slice(0, -1), toHex(rlpEncode([leaf[0], rlpEncode(account)]))];
    const verify = (stateRoot: Hex, accountProof: readonly Hex[]) => () =>
      verifyAccountProof(stateRoot, messagePasser, accountProof);

    // Act / Assess
    expect(nodes.length).toBeGreaterThan(2);
    expect(verify(header.stateRoot, tamperedNode)).toThrow(TrieProofError);
    expect(verify(header.stateRoot, tamperedNode)).toThrow(
      /^node #1 hashes to 0x[0-9a-f]{64} but its parent/,
    );
    expect(verify(header.stateRoot, tamperedStorage)).toThrow(
      new RegExp(`^node #${nodes.length - 1} hashes to 0x[0-9a-f]{64} but its parent references`),
    );
    expect(previous.stateRoot).not.toBe(header.stateRoot);
    expect(verify(previous.stateRoot, nodes)).toThrow(`not the trie root ${previous.stateRoot}`);
  });

  it('fetches the proof at the header block hash and refuses an answer for another block', async () => {
    // Prepare
    const [header, previous] = await Promise.all([block(withdrawalBlock), block(withdrawalBlock - 1n)]);
    const honest = createPublicClient({ transport: http(l2.rpcUrl) });
    // A node whose eth_getProof answers from another block than asked (as a moving `safe` head would).
    const lying = createPublicClient({
      transport: http(l2.rpcUrl, {
        fetchFn: async (input, init) => {
          const body = JSON.parse(String(init?.body)) as { method: string; params: unknown[] };
          if (body.method === 'eth_getProof') body.params[2] = { blockHash: previous.hash };
          return fetch(input, { ...init, body: JSON.stringify(body) });
        },
      }),
    });

    // Act
    const fetched = await fetchMessagePasserProof(honest, header);
    const refused = await fetchMessagePasserProof(lying, header).catch((error: unknown) => error);

    // Assess
    expect(fetched.storageRoot).toBe((await proof(messagePasser, withdrawalBlock)).storageHash);
    expect(refused).toBeInstanceOf(MessagePasserProofError);
    expect((refused as Error).message).toContain(
      `L2 block ${withdrawalBlock} (${header.hash}): the message passer proof does not verify against the block's stateRoot ${header.stateRoot}`,
    );
  });

  it('refuses a block whose state has no message passer', async () => {
    // Prepare
    const unseeded = await block(unseededBlock);
    const client = createPublicClient({ transport: http(l2.rpcUrl) });

    // Act
    const refused = fetchMessagePasserProof(client, unseeded);

    // Assess
    await expect(refused).rejects.toThrow(
      `L2 block ${unseededBlock} (${unseeded.hash}): the state has no message passer at ${messagePasser}`,
    );
  });
});
