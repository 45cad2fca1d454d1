import { keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { opSuccinctL2OutputOracleAbi } from '../../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import {
  aggregateResultFor,
  mineL2To,
  type ProposerHarness,
  proposerHarness,
  storeAggregateMessage,
} from './proposer-fixture.js';
import { I, oracleRead, proposerNonce, resultsFromHead, useProposerChains } from './run-proposer-fixture.js';

/** Puts a settled message back to pending, as a run that crashed before settling it leaves it. */
async function leavePending(harness: ProposerHarness, id: string): Promise<void> {
  const item = await harness.store.get(id);
  if (item === undefined) throw new Error(`no message ${id}`);
  expect(await harness.store.replace({ ...item, status: 'pending' }, item.version)).toBe(true);
}

const overlapWarnings = (harness: ProposerHarness) =>
  harness.logger
    .at('warn')
    .filter((e) => e.message.includes('overlaps the oracle head'))
    .map((e) => e.attributes?.messageId);

describe('runProposer: where a proof starts relative to the oracle head', () => {
  const chains = useProposerChains();

  it('settles aggregates the oracle covers (ours as proposed, others skipped) without sending', async () => {
    // Prepare: two aggregates proposed; their messages left pending as a crash before settling would
    const harness = proposerHarness(chains());
    const { head: b, checkpoint, results } = await resultsFromHead(chains(), harness, 2);
    const ours: string[] = [];
    for (const result of results) ours.push(await storeAggregateMessage(harness, result));
    const first = await runProposer({ ...harness.deps, invocationId: 'propose' });
    expect(first.proposed.map((p) => p.l2BlockNumber)).toEqual([b + I, b + 2n * I]);
    for (const id of ours) await leavePending(harness, id);
    // A proof of (b, b+2I]: ends at the head, but the oracle's output there is another message's
    const other = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, b, b + 2n * I, checkpoint, harness.deps.account.address),
    );
    const nonce = await proposerNonce(chains());
    const indexBefore = await oracleRead(chains(), 'latestOutputIndex');
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'covered' });
    // Assess
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(b + 2n * I);
    expect(report.latestBlockNumber).toBe(b + 2n * I);
    expect(report.proposed).toEqual([]);
    expect(report.refused).toEqual([]);
    expect(report.waiting).toEqual([]);
    expect([...report.skipped].sort()).toEqual([...ours, other].sort());
    expect((await harness.store.get(ours[0]!))?.status).toBe('proposed');
    expect((await harness.store.get(ours[1]!))?.status).toBe('proposed');
    expect((await harness.store.get(other))?.status).toBe('skipped');
    expect(overlapWarnings(harness)).toEqual([]);
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(await oracleRead(chains(), 'latestOutputIndex')).toBe(indexBefore);
  });

  it('skips an aggregate overlapping the head with a warning; one starting after the head waits', async () => {
    // Prepare: one aggregate proposed, so the head is b+I; valid proofs of (b, b+2I] and (b+2I, b+3I]
    const harness = proposerHarness(chains());
    const { head: b, checkpoint, results } = await resultsFromHead(chains(), harness);
    await storeAggregateMessage(harness, results[0]!);
    await runProposer({ ...harness.deps, invocationId: 'propose' });
    await mineL2To(chains(), b + 3n * I);
    const prover = harness.deps.account.address;
    const overlapping = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, b, b + 2n * I, checkpoint, prover),
    );
    const later = await storeAggregateMessage(
      harness,
      await aggregateResultFor(harness.l2, b + 2n * I, b + 3n * I, checkpoint, prover),
    );
    const nonce = await proposerNonce(chains());
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'overlap' });
    // Assess
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(b + I);
    expect(report.proposed).toEqual([]);
    expect(report.refused).toEqual([]);
    expect(report.skipped).toEqual([overlapping]);
    expect(report.waiting).toEqual([later]);
    expect((await harness.store.get(overlapping))?.status).toBe('skipped');
    expect((await harness.store.get(later))?.status).toBe('pending');
    expect(overlapWarnings(harness)).toEqual([overlapping]);
    expect(await proposerNonce(chains())).toBe(nonce);
  });

  it("refuses a proof whose pre-root is not the oracle's latest output root, naming both, without sending", async () => {
    // Prepare: a proof of the next interval whose pre-root is another root (the oracle's mock
    // verifier would accept it: the proposer's check is all that stops it)
    const harness = proposerHarness(chains());
    const { head, results } = await resultsFromHead(chains(), harness);
    const valid = results[0]!;
    const wrongRoot = keccak256(toHex('an output root the oracle does not hold'));
    const id = await storeAggregateMessage(harness, {
      ...valid,
      outputs: { ...valid.outputs, l2PreRoot: wrongRoot },
    });
    const latestOutput = await harness.deps.l1.readContract({
      address: chains().oracleAddress,
      abi: opSuccinctL2OutputOracleAbi,
      functionName: 'getL2Output',
      args: [await oracleRead(chains(), 'latestOutputIndex')],
    });
    const nonce = await proposerNonce(chains());
    // Act
    const report = await runProposer({ ...harness.deps, invocationId: 'pre-root' });
    // Assess
    expect(latestOutput.l2BlockNumber).toBe(head);
    expect(report.proposed).toEqual([]);
    expect(report.refused).toEqual([
      {
        messageId: id,
        reason: expect.stringMatching(new RegExp(`${wrongRoot}.*${latestOutput.outputRoot}`)),
      },
    ]);
    expect((await harness.store.get(id))?.status).toBe('pending');
    expect(await harness.store.get(`proposal/${head + I}`)).toBeUndefined();
    expect(await proposerNonce(chains())).toBe(nonce);
    expect(await oracleRead(chains(), 'latestBlockNumber')).toBe(head);
  });
});
