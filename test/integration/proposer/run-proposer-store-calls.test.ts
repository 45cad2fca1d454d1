import { describe, expect, it } from 'vitest';
import { signerLeaseId } from '../../../lambdas/chain/tx-manager/signer-lease.js';
import { pauseId } from '../../../lambdas/core/control/pause-switch.js';
import { proposerGateway } from '../../../lambdas/core/orchestrator/proposer-gateway.js';
import { proposerWaitId } from '../../../lambdas/proposer/proposer-wait.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { recordingStore } from '../../unit/core/orchestrator/recording-store.js';
import {
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  storeAggregateMessage,
  storeAwaitingGroup,
} from './proposer-fixture.js';
import { I, oracleRead, proposerNonce, resultsFromHead, useProposerChains } from './run-proposer-fixture.js';

/** The harness's proposer deps with every store call (its own and the gateway's) recorded. */
function recorded(harness: ProposerHarness) {
  const { store, calls } = recordingStore(harness.store);
  const deps = { ...harness.deps, store, orchestrator: proposerGateway({ ...harness.orchestrator, store }) };
  return { deps, calls };
}

describe('runProposer: store calls per run (each one an AWS call on DynamoDB)', () => {
  const chains = useProposerChains();

  it('an idle run after a released one: one batch read, the lease taken and released, two lists', async () => {
    // Prepare: a run before this one released the lease
    const harness = proposerHarness(chains());
    const { deps, calls } = recorded(harness);
    await runProposer({ ...deps, invocationId: 'before' });
    calls.length = 0;
    // Act
    const report = await runProposer({ ...deps, invocationId: 'idle' });
    // Assess: the tx records, checkpoints and proposals come from the release's handover, not Queries
    const signer = harness.deps.account.address;
    const lease = signerLeaseId(signer);
    expect(report.outcome).toBe('done');
    expect(calls).toEqual([
      `getMany ${lease},${pauseId({ kind: 'proposer' })},${proposerWaitId(signer)}`,
      `replace ${lease}`,
      'list group#aggregate awaiting-checkpoint',
      'list message#aggregate-proofs pending',
      `replace ${lease}`,
    ]);
  });

  it('a run after one that crashed holding the lease lists what the signer wrote afresh', async () => {
    // Prepare: the lease is held by a crashed invocation and has expired
    const harness = proposerHarness(chains());
    const { deps, calls } = recorded(harness);
    await runProposer({ ...deps, invocationId: 'before' });
    const lease = await harness.store.get(signerLeaseId(harness.deps.account.address));
    if (lease === undefined) throw new Error('expected the lease item');
    const expired = { owner: 'crashed', expiresAt: new Date(Date.now() - 1000).toISOString() };
    await harness.store.replace({ ...lease, status: 'held', data: expired }, lease.version);
    calls.length = 0;
    // Act
    const report = await runProposer({ ...deps, invocationId: 'after-crash' });
    // Assess
    expect(report.outcome).toBe('done');
    expect(calls.filter((call) => call.startsWith('list '))).toEqual([
      'list checkpoint stored',
      'list proposal proposed',
      'list tx mined',
      'list tx failed',
      'list tx sent',
      'list group#aggregate awaiting-checkpoint',
      'list message#aggregate-proofs pending',
    ]);
  });

  it('a proposing run lists only the awaiting groups and the pending proofs, once each', async () => {
    // Prepare: a checkpoint stored by an earlier run (which released the lease), and one aggregate
    // proof from the oracle head
    const harness = proposerHarness(chains());
    const { deps, calls } = recorded(harness);
    const { results } = await resultsFromHead(chains(), harness, 1);
    const [result] = results;
    if (result === undefined) throw new Error('expected one aggregate result');
    const messageId = await storeAggregateMessage(harness, result);
    const nonce = await proposerNonce(chains());
    calls.length = 0;
    // Act
    const report = await runProposer({ ...deps, invocationId: 'proposing' });
    // Assess
    const signer = harness.deps.account.address.toLowerCase();
    expect(report.proposed.map((p) => p.messageId)).toEqual([messageId]);
    expect(calls.filter((call) => call.startsWith('list '))).toEqual([
      'list group#aggregate awaiting-checkpoint',
      'list message#aggregate-proofs pending',
    ]);
    const proposal = `proposal/${result.end}`;
    expect(calls.filter((call) => /^(create|replace) /.test(call))).toEqual([
      `replace ${signerLeaseId(harness.deps.account.address)}`,
      `create ${proposal}`,
      `create tx/${signer}/${nonce}`,
      `replace tx/${signer}/${nonce}`,
      `replace ${proposal}`,
      `replace ${messageId}`,
      `replace ${signerLeaseId(harness.deps.account.address)}`,
    ]);
    // With the proof message's settle (the span walk's batch read, its batch write): 12 in all, were 20
    expect(calls).toHaveLength(12);
  });

  it("a checkpoint-serving run reads the waiting group's members once, and once more to build its job", async () => {
    // Prepare: a run before this one released the lease; then a group waits for a checkpoint
    const harness = proposerHarness(chains());
    const { deps, calls } = recorded(harness);
    await runProposer({ ...deps, invocationId: 'before' });
    const head = await oracleRead(chains(), 'latestBlockNumber');
    await mineL2To(chains(), head + I);
    const groupId = await storeAwaitingGroup(harness, head, head + I);
    calls.length = 0;
    // Act
    const report = await runProposer({ ...deps, invocationId: 'checkpointing' });
    // Assess: the proposer's check of the ranges' l1Heads and the job's input: one batch read each
    const member = `range-proofs/${head}-${head + I}`;
    expect(report.groupsSubmitted).toEqual([groupId]);
    expect(calls.filter((call) => call === `getMany ${member}`)).toHaveLength(2);
    expect(calls.filter((call) => call.startsWith('list '))).toEqual([
      'list group#aggregate awaiting-checkpoint',
      'list message#aggregate-proofs pending',
    ]);
  });
});
