import { createTestClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { readOracleState } from '../../../lambdas/chain/oracle-reads.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { proposerHarness } from './proposer-fixture.js';
import { useProposerChains } from './run-proposer-fixture.js';

/** The dev oracle's `fallbackTimeout` (upstream's default, two weeks). */
const FALLBACK_TIMEOUT_SECONDS = 1_209_600;

describe('runProposer: the oracle fallback timeout', () => {
  const chains = useProposerChains();

  it('runs for a signer that is not approved once no output was stored for fallbackTimeout seconds', async () => {
    // Prepare: an unapproved signer is refused while the oracle is fresh
    const signer = createLocalAccount(2);
    const harness = proposerHarness(chains(), { account: signer });
    const read = () =>
      readOracleState(harness.deps.l1, {
        oracleAddress: chains().oracleAddress,
        configName: harness.deps.config.proposer.configName,
        proposer: signer.address,
      });
    const fresh = await read();
    await expect(runProposer(harness.deps)).rejects.toThrow(/not an approved proposer/);
    // L1 time moves past the fallback timeout without a proposal
    const l1 = createTestClient({ mode: 'anvil', transport: http(chains().l1.rpcUrl) });
    await l1.increaseTime({ seconds: FALLBACK_TIMEOUT_SECONDS + 60 });
    await l1.mine({ blocks: 1 });
    // Act
    const stale = await read();
    const report = await runProposer({ ...harness.deps, invocationId: 'after-fallback' });
    // Assess: upstream lets anyone propose now, so the proposer runs and clears its wait
    expect(fresh.proposerApproved).toBe(false);
    expect(stale.proposerApproved).toBe(true);
    expect(report.outcome).toBe('done');
    expect((await harness.store.get(proposerWaitId(signer.address)))?.status).toBe('clear');
  });
});
