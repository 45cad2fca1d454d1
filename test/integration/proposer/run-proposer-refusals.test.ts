import { keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { ProposerNotApprovedError } from '../../../lambdas/proposer/errors.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { testProgramKeys } from '../../support/chains/test-program-keys.js';
import { aggregateResultFor, mineL2To, proposerHarness, storeAggregateMessage } from './proposer-fixture.js';
import {
  checkpointThroughGroup,
  I,
  oracleRead,
  proposerNonce,
  useProposerChains,
} from './run-proposer-fixture.js';

describe('runProposer: refusals', () => {
  const chains = useProposerChains();

  it('refuses an aggregate proven under another aggregation vkey, naming both values', async () => {
    // Prepare
    const s = chains().startingBlock.blockNumber;
    await mineL2To(chains(), s + 2n * I);
    const harness = proposerHarness(chains());
    const checkpoint = await checkpointThroughGroup(harness, s);
    const otherVkey = keccak256(toHex('some other aggregation program'));
    const id = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, s, s + I, checkpoint, harness.deps.account.address, {
        aggregationVkey: otherVkey,
      }),
    );
    const nonce = await proposerNonce(chains());
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'vkey' });
    // Assess
    expect(report.proposed).toEqual([]);
    expect(report.refused).toHaveLength(1);
    expect(report.refused[0]?.messageId).toBe(id);
    expect(report.refused[0]?.reason).toContain(otherVkey);
    expect(report.refused[0]?.reason).toContain(testProgramKeys.aggregationVkey);
    expect((await harness.store.get(id))?.status).toBe('pending');
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(harness.metrics.points).toContainEqual(
      expect.objectContaining({ name: 'Proposals', dimensions: { outcome: 'refused' } }),
    );
  });

  it('reports the decoded revert reason of a proposal the oracle rejects', async () => {
    // Prepare: non-empty proof bytes, which the mock verifier refuses
    const harness = proposerHarness(chains());
    const latest = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), latest + I);
    const checkpoint = await checkpointThroughGroup(harness, latest);
    const id = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, latest, latest + I, checkpoint, harness.deps.account.address, {
        proof: '0x01',
      }),
    );
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'revert' });
    // Assess
    expect(report.refused).toEqual([
      {
        messageId: id,
        reason: 'proposeL2Output reverted in estimation: SP1MockVerifier: proof bytes must be empty',
      },
    ]);
    expect((await harness.store.get(`proposal/${latest + I}`))?.status).toBe('failed');
  });

  it('refuses to run when the signer is not an approved proposer, and says it waits on a person', async () => {
    // Prepare
    const harness = proposerHarness(chains(), { account: createLocalAccount(2) });
    const signer = createLocalAccount(2).address;
    // Act
    const running = runProposer(harness.deps);
    // Assess: the error, the stored reason, the gauge and an error log naming the item
    await expect(running).rejects.toBeInstanceOf(ProposerNotApprovedError);
    await expect(running).rejects.toThrow(signer);
    const wait = await harness.store.get(proposerWaitId(signer));
    expect(wait).toMatchObject({ status: 'waiting', data: { reason: 'not-approved' } });
    expect(String(wait?.data.message)).toContain(`addProposer(${signer})`);
    expect(harness.metrics.lastGauge(METRIC.proposerWaiting)).toBe(1);
    expect(
      harness.logger.at('error').find((e) => e.message === 'proposer waits on a person')?.attributes,
    ).toMatchObject({
      itemId: proposerWaitId(signer),
    });
  });

  it('clears the stored wait once the signer may propose again', async () => {
    // Prepare: a wait recorded by an earlier run of the approved signer
    const harness = proposerHarness(chains());
    const signer = harness.deps.account.address;
    await harness.store.create({
      id: proposerWaitId(signer),
      kind: 'proposer-wait',
      status: 'waiting',
      sortKey: signer.toLowerCase(),
      data: { reason: 'not-approved', message: 'earlier', since: '2026-12-01T00:00:00.000Z' },
    });
    // Act
    await runProposer({ ...harness.deps, invocationId: 'approved-again' });
    // Assess
    expect((await harness.store.get(proposerWaitId(signer)))?.status).toBe('clear');
    expect(harness.metrics.lastGauge(METRIC.proposerWaiting)).toBe(0);
  });
});
