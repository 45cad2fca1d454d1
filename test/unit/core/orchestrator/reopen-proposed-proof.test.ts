import { describe, expect, it } from 'vitest';
import { messageKind } from '../../../../lambdas/core/orchestrator/messages/message-records.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
import { makeDeps, type TestDeps } from './orchestrator-fixture.js';

async function proofMessage(t: TestDeps, key: string, status: string): Promise<string> {
  const id = `aggregate-proofs/${key}`;
  await t.store.create({
    id,
    kind: messageKind('aggregate-proofs'),
    status: 'pending',
    sortKey: key,
    data: {},
  });
  if (status === 'proposed') await proposerGateway(t.deps).settleProof(id, 'proposed');
  else if (status !== 'pending') await proposerGateway(t.deps).settleProof(id, 'skipped');
  return id;
}

describe('ProposerGateway.reopenProposedProof (a proposal an L1 reorg took off)', () => {
  it('moves a proposed proof back to pending and drops its expiry, so nothing deletes it while it is proposed again', async () => {
    // Prepare
    const t = makeDeps();
    const id = await proofMessage(t, '0-10', 'proposed');
    expect((await t.store.get(id))?.expiresAt).toBeDefined();
    // Act
    const status = await proposerGateway(t.deps).reopenProposedProof(id);
    // Assess
    expect(status).toBe('pending');
    const item = await t.store.get(id);
    expect(item?.status).toBe('pending');
    expect(item).not.toHaveProperty('expiresAt');
  });

  it.each(['pending', 'skipped'])('leaves a %s proof as it is and says so', async (from) => {
    // Prepare
    const t = makeDeps();
    const id = await proofMessage(t, '10-20', from);
    const before = await t.store.get(id);
    // Act
    const status = await proposerGateway(t.deps).reopenProposedProof(id);
    // Assess
    expect(status).toBe(from);
    expect(await t.store.get(id)).toEqual(before);
  });

  it('answers undefined for a proof that is not stored', async () => {
    // Act + Assess
    expect(
      await proposerGateway(makeDeps().deps).reopenProposedProof('aggregate-proofs/0-1'),
    ).toBeUndefined();
  });
});
