import { createWalletClient, http } from 'viem';
import { waitForTransactionReceipt } from 'viem/actions';
import { describe, expect, it } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { proposerHarness, storeAggregateMessage, storeAwaitingGroup } from './proposer-fixture.js';
import { I, oracleRead, resultsFromHead, useProposerChains } from './run-proposer-fixture.js';

describe('runProposer: an oracle in optimistic mode', () => {
  const chains = useProposerChains();

  const setOptimisticMode = async (enabled: boolean): Promise<void> => {
    const owner = createWalletClient({
      account: devAccount(devAccountRoles.deployer),
      chain: localChain(900, chains().l1.rpcUrl),
      transport: http(chains().l1.rpcUrl),
    });
    const hash = await owner.writeContract({
      address: chains().oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: enabled ? 'enableOptimisticMode' : 'disableOptimisticMode',
      args: [3600n],
    });
    // The switch must be on chain before the proposer reads the oracle (a loaded anvil may mine it late).
    const receipt = await waitForTransactionReceipt(owner, { hash });
    expect(receipt.status).toBe('success');
  };

  it('keeps serving checkpoints, proposes nothing, says it waits on the owner; proposes once the mode is off', async () => {
    // Prepare: one ready aggregate, one group waiting for a checkpoint, then the owner turns the mode on
    const harness = proposerHarness(chains());
    const { head, results } = await resultsFromHead(chains(), harness);
    const messageId = await storeAggregateMessage(harness, results[0]!);
    const groupId = await storeAwaitingGroup(harness, head + I, head + 2n * I);
    await setOptimisticMode(true);
    // Act 1
    const paused = await runProposer({ ...harness.deps, invocationId: 'optimistic' });
    // Assess 1: the checkpoint went out, the proof waits, the wait is stored, counted and logged
    expect(paused.proposalsPaused).toBe('optimistic-mode');
    expect(paused.groupsSubmitted).toEqual([groupId]);
    expect(paused.proposed).toEqual([]);
    expect((await harness.store.get(messageId))?.status).toBe('pending');
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head);
    const signer = harness.deps.account.address;
    const wait = await harness.store.get(proposerWaitId(signer));
    expect(wait).toMatchObject({ status: 'waiting', data: { reason: 'optimistic-mode' } });
    expect(String(wait?.data.message)).toContain('disableOptimisticMode');
    expect(harness.metrics.lastGauge(METRIC.proposerWaiting)).toBe(1);
    expect(harness.logger.at('error').map((e) => e.attributes?.reason)).toContain('optimistic-mode');

    // Act 2: the owner switches back
    await setOptimisticMode(false);
    const resumed = await runProposer({ ...harness.deps, invocationId: 'validity' });
    // Assess 2
    expect(resumed.proposalsPaused).toBeUndefined();
    expect(resumed.proposed.map((p) => p.messageId)).toEqual([messageId]);
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head + I);
    expect((await harness.store.get(proposerWaitId(signer)))?.status).toBe('clear');
    expect(harness.metrics.lastGauge(METRIC.proposerWaiting)).toBe(0);
  });
});
