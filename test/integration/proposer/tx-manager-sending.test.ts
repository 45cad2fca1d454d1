import { createWalletClient, encodeFunctionData, http, parseEther } from 'viem';
import { waitForTransactionReceipt } from 'viem/actions';
import { describe, expect, it } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { sp1MockVerifierAbi } from '../../../lambdas/chain/abi/SP1MockVerifier.generated.js';
import { createKmsAccount } from '../../../lambdas/chain/kms-account.js';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { oracleConfigName } from '../../../lambdas/chain/oracle-reads.js';
import { sendTransaction } from '../../../lambdas/chain/tx-manager/send-transaction.js';
import { createFakeKms } from '../../unit/chain/fake-kms.js';
import { sendValue, useTxManagerChains } from './tx-manager-fixture.js';

describe('transaction manager on anvil', () => {
  const { chains, l1, txDeps } = useTxManagerChains();

  it('sends through a KMS account: anvil accepts it and `from` is the KMS-derived address', async () => {
    // Prepare
    const kms = createFakeKms({
      privateKey: '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318',
      highS: (i) => i % 2 === 0,
    });
    const account = await createKmsAccount({ kms: kms.client, keyId: kms.keyId });
    const funder = createWalletClient({
      account: devAccount(devAccountRoles.deployer),
      chain: localChain(900, chains().l1.rpcUrl),
      transport: http(chains().l1.rpcUrl),
    });
    await waitForTransactionReceipt(l1(), {
      hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
    });
    const deps = txDeps({ account });
    // Act
    const first = await sendValue(deps, 'kms/1', 1n, 20_000);
    const second = await sendValue(deps, 'kms/2', 2n, 20_000);
    // Assess
    expect(first.status).toBe('mined');
    expect(second.status).toBe('mined');
    if (first.status !== 'mined' || second.status !== 'mined') return;
    const tx1 = await l1().getTransaction({ hash: first.hash });
    const tx2 = await l1().getTransaction({ hash: second.hash });
    expect(tx1.from.toLowerCase()).toBe(account.address.toLowerCase());
    expect([tx1.nonce, tx2.nonce]).toEqual([0, 1]);
    expect(kms.signRequests.length).toBeGreaterThanOrEqual(2);
    for (const request of kms.signRequests) {
      expect(request).toMatchObject({
        KeyId: kms.keyId,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect((request.Message as Uint8Array).length).toBe(32);
    }
    kms.restore();
  });

  it('reports a mined revert with its decoded reason', async () => {
    // Prepare: a proposal with non-empty proof bytes, which the mock verifier refuses; a fixed gas
    // limit skips estimation so the tx is really mined and reverts on chain.
    const { oracleAddress } = chains();
    const account = createLocalAccount(devAccountRoles.proposer);
    const deps = txDeps({ account });
    const l1Head = await l1().getBlockNumber();
    const checkpoint = await sendTransaction(deps, {
      intentId: `checkpoint/${l1Head}`,
      to: oracleAddress,
      data: encodeFunctionData({
        abi: opSuccinctL2OutputOracleAbi,
        functionName: 'checkpointBlockHash',
        args: [l1Head],
      }),
      deadline: Date.now() + 20_000,
    });
    expect(checkpoint.status).toBe('mined');
    const next = await l1().readContract({
      address: oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'nextBlockNumber',
    });
    const data = encodeFunctionData({
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'proposeL2Output',
      args: [
        oracleConfigName('opsuccinct_genesis'),
        `0x${'11'.repeat(32)}`,
        next,
        l1Head,
        '0x01',
        account.address,
      ],
    });
    // Act
    const outcome = await sendTransaction(deps, {
      intentId: 'revert/1',
      to: oracleAddress,
      data,
      gas: 500_000n,
      abi: [...opSuccinctL2OutputOracleAbi, ...sp1MockVerifierAbi],
      deadline: Date.now() + 20_000,
    });
    const simulated = await sendTransaction(deps, {
      intentId: 'revert/2',
      to: oracleAddress,
      data,
      abi: opSuccinctL2OutputOracleAbi,
      deadline: Date.now() + 20_000,
    });
    // Assess
    expect(outcome).toMatchObject({
      status: 'reverted',
      simulated: false,
      reason: 'SP1MockVerifier: proof bytes must be empty',
    });
    expect(simulated).toMatchObject({
      status: 'reverted',
      simulated: true,
      reason: 'SP1MockVerifier: proof bytes must be empty',
    });
  });
});
