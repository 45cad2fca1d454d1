import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  parseGwei,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { seedMessagePasser } from '../../../devnet/chains/seed-message-passer.js';
import { type AnvilInstance, startAnvil } from '../../../devnet/chains/start-anvil.js';
import { l2ToL1MessagePasserAbi } from '../../../lambdas/chain/abi/L2ToL1MessagePasser.generated.js';
import { computeOutputRoot } from '../../../lambdas/chain/l2-state/compute-output-root.js';
import { MessagePasserProofError } from '../../../lambdas/chain/l2-state/message-passer-proof-error.js';

/** The OP-stack `L2ToL1MessagePasser` predeploy (spelled out: the expected values share no code with the pipeline). */
const messagePasserAddress = '0x4200000000000000000000000000000000000016';

/**
 * Independent computation from the OP specs: raw JSON-RPC (no viem actions, no pipeline code) and
 * `keccak256(abi.encode(bytes32(0), stateRoot, messagePasserStorageRoot, blockHash))`.
 */
async function rawRpc<T>(rpcUrl: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result: T };
  return body.result;
}

async function independentOutputRoot(
  rpcUrl: string,
  blockNumber: bigint,
): Promise<{ root: Hex; storage: Hex; hash: Hex }> {
  const tag = `0x${blockNumber.toString(16)}`;
  const block = await rawRpc<{ stateRoot: Hex; hash: Hex }>(rpcUrl, 'eth_getBlockByNumber', [tag, false]);
  const proof = await rawRpc<{ storageHash: Hex }>(rpcUrl, 'eth_getProof', [messagePasserAddress, [], tag]);
  const encoded = encodeAbiParameters(
    [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
    [`0x${'00'.repeat(32)}`, block.stateRoot, proof.storageHash, block.hash],
  );
  return { root: keccak256(encoded), storage: proof.storageHash, hash: block.hash };
}

describe('computeOutputRoot on an anvil L2', () => {
  let l2: AnvilInstance;
  let transferBlock: bigint;
  let withdrawalBlock: bigint;
  let emptyBlock: bigint;

  beforeAll(async () => {
    l2 = await startAnvil({ chainId: 901, optimism: true });
    await seedMessagePasser(l2.rpcUrl);
    const chain = localChain(901, l2.rpcUrl);
    const publicClient = createPublicClient({ chain, transport: http(l2.rpcUrl) });
    const wallet = createWalletClient({ account: devAccount(5), chain, transport: http(l2.rpcUrl) });
    await createTestClient({ mode: 'anvil', transport: http(l2.rpcUrl) }).mine({ blocks: 1 });
    emptyBlock = await publicClient.getBlockNumber({ cacheTime: 0 });

    const transfer = await wallet.sendTransaction({
      to: '0x000000000000000000000000000000000000dEaD',
      value: parseGwei('1'),
    });
    transferBlock = (await publicClient.waitForTransactionReceipt({ hash: transfer })).blockNumber;

    const withdrawal = await wallet.writeContract({
      address: messagePasserAddress,
      abi: l2ToL1MessagePasserAbi,
      functionName: 'initiateWithdrawal',
      args: [wallet.account.address, 100_000n, '0x1234'],
      value: parseGwei('1'),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: withdrawal });
    expect(receipt.status).toBe('success');
    withdrawalBlock = receipt.blockNumber;
  });

  afterAll(async () => {
    await l2?.stop();
  });

  it('equals the independent computation for blocks without and with a withdrawal', async () => {
    // Prepare
    const client = createPublicClient({ transport: http(l2.rpcUrl) });

    for (const blockNumber of [emptyBlock, transferBlock, withdrawalBlock]) {
      // Act
      const computed = await computeOutputRoot(client, blockNumber);
      const expected = await independentOutputRoot(l2.rpcUrl, blockNumber);

      // Assess
      expect(computed.blockNumber).toBe(blockNumber);
      expect(computed.outputRoot).toBe(expected.root);
      expect(computed.messagePasserStorageRoot).toBe(expected.storage);
    }
  });

  it('sees the message passer storage root change with a withdrawal only', async () => {
    // Prepare
    const client = createPublicClient({ transport: http(l2.rpcUrl) });

    // Act
    const beforeTransfer = await computeOutputRoot(client, transferBlock - 1n);
    const afterTransfer = await computeOutputRoot(client, transferBlock);
    const afterWithdrawal = await computeOutputRoot(client, withdrawalBlock);

    // Assess
    expect(afterTransfer.messagePasserStorageRoot).toBe(beforeTransfer.messagePasserStorageRoot);
    expect(afterWithdrawal.messagePasserStorageRoot).not.toBe(afterTransfer.messagePasserStorageRoot);
    expect(afterWithdrawal.outputRoot).not.toBe(afterTransfer.outputRoot);
    expect(afterTransfer.outputRoot).not.toBe(beforeTransfer.outputRoot);
  });

  it('reads the withdrawal hash back from the seeded message passer', async () => {
    // Prepare
    const client = createPublicClient({ transport: http(l2.rpcUrl) });
    const logs = await client.getContractEvents({
      address: messagePasserAddress,
      abi: l2ToL1MessagePasserAbi,
      eventName: 'MessagePassed',
      fromBlock: withdrawalBlock,
      toBlock: withdrawalBlock,
    });
    const withdrawalHash = logs[0]?.args.withdrawalHash;

    // Act
    const sent = await client.readContract({
      address: messagePasserAddress,
      abi: l2ToL1MessagePasserAbi,
      functionName: 'sentMessages',
      args: [withdrawalHash ?? '0x'],
    });
    const nonce = await client.readContract({
      address: messagePasserAddress,
      abi: l2ToL1MessagePasserAbi,
      functionName: 'messageNonce',
    });

    // Assess
    expect(logs).toHaveLength(1);
    expect(sent).toBe(true);
    expect(nonce).toBe((1n << 240n) | 1n);
  });

  it('refuses a node whose eth_getProof answer belongs to another block than the header', async () => {
    // Prepare: a node that answers eth_getProof for the previous block (as a moving `safe` head could).
    const previous = await rawRpc<{ hash: Hex }>(l2.rpcUrl, 'eth_getBlockByNumber', [
      `0x${(withdrawalBlock - 1n).toString(16)}`,
      false,
    ]);
    const client = createPublicClient({
      transport: http(l2.rpcUrl, {
        fetchFn: async (input, init) => {
          const body = JSON.parse(String(init?.body)) as { method: string; params: unknown[] };
          if (body.method === 'eth_getProof') body.params[2] = { blockHash: previous.hash };
          return fetch(input, { ...init, body: JSON.stringify(body) });
        },
      }),
    });

    // Act
    const refused = computeOutputRoot(client, withdrawalBlock);

    // Assess
    await expect(refused).rejects.toThrow(MessagePasserProofError);
    await expect(refused).rejects.toThrow(
      `L2 block ${withdrawalBlock} (${(await independentOutputRoot(l2.rpcUrl, withdrawalBlock)).hash}): the message passer proof does not verify`,
    );
  });
});
