import { createPublicClient, createWalletClient, getAddress, http, zeroAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccount, devAccountRoles } from '../../../devnet/chains/dev-accounts.js';
import { localChain } from '../../../devnet/chains/local-chain.js';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import {
  OracleDisputeGameFactoryError,
  OracleRollupConfigMismatchError,
  OracleVerifierMismatchError,
  OracleVkeyMismatchError,
} from '../../../lambdas/proposer/errors.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { type ProposerHarness, proposerHarness, proposerTestConfig } from './proposer-fixture.js';
import { useProposerChains } from './run-proposer-fixture.js';

const elsewhere = '0x000000000000000000000000000000000000beef';

/** The stored wait's reason and the ProposerWaiting gauge after a run. */
async function waitOf(harness: ProposerHarness): Promise<{ reason: unknown; gauge: number | undefined }> {
  const wait = await harness.store.get(proposerWaitId(harness.deps.account.address));
  return {
    reason: wait?.status === 'waiting' ? wait.data.reason : undefined,
    gauge: harness.metrics.lastGauge(METRIC.proposerWaiting),
  };
}

describe('runProposer pre-flight: an oracle this proposer cannot serve', () => {
  const chains = useProposerChains();

  const withVerifier = (verifierAddress: string) => {
    const config = proposerTestConfig(chains());
    return { ...config, chains: { ...config.chains, l1: { ...config.chains.l1, verifierAddress } } };
  };

  const setDisputeGameFactory = async (factory: `0x${string}`): Promise<void> => {
    const c = chains();
    const owner = createWalletClient({
      account: devAccount(devAccountRoles.deployer),
      chain: localChain(c.l1.chainId, c.l1.rpcUrl),
      transport: http(c.l1.rpcUrl),
    });
    const hash = await owner.writeContract({
      address: c.oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'setDisputeGameFactory',
      args: [factory],
    });
    // Mined before the proposer reads the oracle (an interval-mined L1 mines it up to a block later).
    const receipt = await createPublicClient({ transport: http(c.l1.rpcUrl) }).waitForTransactionReceipt({
      hash,
    });
    expect(receipt.status).toBe('success');
  };

  it('refuses an oracle whose verifier is not chains.l1.verifierAddress, naming both', async () => {
    // Prepare
    const wrong = proposerHarness(chains(), { config: withVerifier(elsewhere) });
    const right = proposerHarness(chains(), { config: withVerifier(chains().verifierAddress) });
    // Act
    const refused = runProposer(wrong.deps);
    // Assess
    await expect(refused).rejects.toBeInstanceOf(OracleVerifierMismatchError);
    await expect(refused).rejects.toThrow(getAddress(chains().verifierAddress));
    await expect(refused).rejects.toThrow(elsewhere);
    expect(await waitOf(wrong)).toEqual({ reason: 'verifier-mismatch', gauge: 1 });
    const report = await runProposer({ ...right.deps, invocationId: 'right-verifier' });
    expect(report.outcome).toBe('done');
    expect(await waitOf(right)).toEqual({ reason: undefined, gauge: 0 });
  });

  it('refuses an oracle config whose rollup config hash is not the one the programs prove with', async () => {
    // Prepare
    const harness = proposerHarness(chains(), { rollupConfigHash: `0x${'ee'.repeat(32)}` });
    // Act
    const refused = runProposer(harness.deps);
    // Assess
    await expect(refused).rejects.toBeInstanceOf(OracleRollupConfigMismatchError);
    await expect(refused).rejects.toThrow(`0x${'ee'.repeat(32)}`);
    expect(await waitOf(harness)).toEqual({ reason: 'rollup-config-mismatch', gauge: 1 });
  });

  it('refuses an oracle config holding other vkeys than proposer.expectedVkeys, naming which, expected and found', async () => {
    // Prepare: our range program is another build than the oracle's
    const otherRange = `0x${'5a'.repeat(32)}`;
    const withVkeys = (rangeVkeyCommitment: string) => {
      const config = proposerTestConfig(chains());
      const expectedVkeys = { aggregationVkey: testProgramKeys.aggregationVkey, rangeVkeyCommitment };
      return { ...config, proposer: { ...config.proposer, expectedVkeys } };
    };
    const wrong = proposerHarness(chains(), { config: withVkeys(otherRange) });
    const right = proposerHarness(chains(), { config: withVkeys(testProgramKeys.rangeVkeyCommitment) });
    // Act
    const refused = runProposer({ ...wrong.deps, invocationId: 'other-vkeys' });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(OracleVkeyMismatchError);
    await expect(refused).rejects.toThrow(
      `rangeVkeyCommitment ${testProgramKeys.rangeVkeyCommitment}, but proposer.expectedVkeys.rangeVkeyCommitment is ${otherRange}`,
    );
    await expect(refused).rejects.not.toThrow('aggregationVkey');
    expect(await waitOf(wrong)).toEqual({ reason: 'vkey-mismatch', gauge: 1 });
    const report = await runProposer({ ...right.deps, invocationId: 'our-vkeys' });
    expect(report.outcome).toBe('done');
    expect(await waitOf(right)).toEqual({ reason: undefined, gauge: 0 });
  });

  it('refuses while a dispute-game factory is set (direct proposals revert) and runs once it is cleared', async () => {
    // Prepare
    const harness = proposerHarness(chains());
    await setDisputeGameFactory(elsewhere);
    // Act
    const refused = runProposer({ ...harness.deps, invocationId: 'factory-set' });
    // Assess
    await expect(refused).rejects.toBeInstanceOf(OracleDisputeGameFactoryError);
    await expect(refused).rejects.toThrow(getAddress(elsewhere));
    expect(await waitOf(harness)).toEqual({ reason: 'dispute-game-factory', gauge: 1 });
    await setDisputeGameFactory(zeroAddress);
    const report = await runProposer({ ...harness.deps, invocationId: 'factory-cleared' });
    expect(report.outcome).toBe('done');
    expect(await waitOf(harness)).toEqual({ reason: undefined, gauge: 0 });
  });
});
