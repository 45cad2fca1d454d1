import { describe, expect, it } from 'vitest';
import { signerLeaseId } from '../../../lambdas/chain/tx-manager/signer-lease.js';
import { clearPause, setPause } from '../../../lambdas/core/control/pause-switch.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { mineL2To, proposerHarness, storeAwaitingGroup } from './proposer-fixture.js';
import { I, oracleRead, proposerNonce, useProposerChains } from './run-proposer-fixture.js';

const why = { reason: 'rotating the proposer key', by: 'alice', setter: 'operator' as const };

describe('runProposer while a pause switch is set', () => {
  const chains = useProposerChains();

  it('pause/proposer: it takes no lease, sends nothing and reports paused; after the resume it checkpoints', async () => {
    // Prepare: an aggregate group waits for a checkpoint; the proposer is paused
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 3n * I);
    const harness = proposerHarness(chains());
    const groupId = await storeAwaitingGroup(harness, s, s + 3n * I);
    await setPause(harness.store, { kind: 'proposer' }, { ...why, at: new Date() });
    const nonce = await proposerNonce(chains());
    const oracleHead = await oracleRead(chains(), 'latestBlockNumber');
    // Act
    const paused = await runProposer(harness.deps);
    // Assess: no transaction, the group still waits, the switch is reported
    expect(paused).toMatchObject({
      outcome: 'paused',
      paused: { reason: why.reason, by: 'alice', target: 'proposer' },
      groupsSubmitted: [],
      proposed: [],
    });
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(oracleHead);
    expect((await harness.store.get(groupId))!.status).toBe('awaiting-checkpoint');
    expect(harness.metrics.lastGauge(METRIC.paused)).toBe(1);
    // Nothing to send, so no lease taken: the paused run wrote nothing.
    expect(await harness.store.get(signerLeaseId(harness.deps.account.address))).toBeUndefined();

    // Act
    await clearPause(harness.store, { kind: 'proposer' });
    const resumed = await runProposer({ ...harness.deps, invocationId: 'after-resume' });
    // Assess: another invocation took the lease and checkpointed
    expect(resumed.outcome).toBe('done');
    expect(resumed.groupsSubmitted).toEqual([groupId]);
    expect(await proposerNonce(chains())).toBe(nonce + 1);
    expect(harness.metrics.lastGauge(METRIC.paused)).toBe(0);
  });

  it('a paused aggregate stage: its waiting groups get no checkpoint, so no checkpoint transaction is sent', async () => {
    // Prepare
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 3n * I);
    const harness = proposerHarness(chains());
    const groupId = await storeAwaitingGroup(harness, s, s + 3n * I);
    await setPause(harness.store, { kind: 'stage', stage: 'aggregate' }, { ...why, at: new Date() });
    const nonce = await proposerNonce(chains());
    // Act
    const report = await runProposer(harness.deps);
    // Assess
    expect(report.outcome).toBe('done');
    expect(report.checkpoint).toBeUndefined();
    expect(report.groupsSubmitted).toEqual([]);
    expect(await proposerNonce(chains())).toBe(nonce);
    expect((await harness.store.get(groupId))!.status).toBe('awaiting-checkpoint');
    expect(harness.jobs.submitted).toEqual([]);
  });
});
