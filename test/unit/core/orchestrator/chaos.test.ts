import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../../../../lambdas/core/ports/state-store.js';
import { checkInvariants } from '../../../../scripts/chaos/invariants.js';
import { runSimulation, simulateSeed } from '../../../../scripts/chaos/simulate.js';

/**
 * Seeds run in `npm test`. Seed 9 found that the reconciliation sweep completed a job whose event
 * never arrived as a prover failure even when it failed on infrastructure (so it counted toward the
 * stage's attempts); seed 341 found that a reopen crashing between superseding the proof and
 * moving its group left a succeeded group with no pending proof, so nothing ever proposed past it.
 * Both stay here as regression tests.
 */
const CLEAN_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 341];

/**
 * Seeds of `--l2-reorgs` that keep the invariants: the real watcher over the simulated L2 sees each
 * reorg and rewinds, old-branch messages are delivered after the rewind. Reorgs stay off by default:
 * other seeds find races the pipeline still has (see the chaos section of the README).
 */
const CLEAN_REORG_SEEDS = [65, 144];

/** A succeeded range group of a clean run's final store. */
function succeededRange(items: readonly StoredItem[]): StoredItem {
  return items.find((i) => i.kind === 'group#range' && i.status === 'succeeded')!;
}

describe('chaos simulation', () => {
  it('keeps the invariants under injected faults for a handful of seeds', async () => {
    // Act
    const reports = [];
    for (const seed of CLEAN_SEEDS) reports.push(await simulateSeed(seed));
    // Assess
    expect(reports.flatMap((r) => r.violations.map((v) => `seed ${r.seed}: ${v}`))).toEqual([]);
    expect(reports.every((r) => r.aggregates > 0)).toBe(true);
    expect(reports.reduce((sum, r) => sum + (r.faults.crash ?? 0), 0)).toBeGreaterThan(0);
  });

  it('rewinds the pipeline on injected L2 reorgs for seeds that keep the invariants', async () => {
    // Act
    const reports = [];
    for (const seed of CLEAN_REORG_SEEDS) reports.push(await simulateSeed(seed, { l2Reorgs: true }));
    // Assess
    expect(reports.flatMap((r) => r.violations.map((v) => `seed ${r.seed}: ${v}`))).toEqual([]);
    for (const r of reports) {
      expect(r.faults['l2-rewind'], `seed ${r.seed}`).toBeGreaterThan(0);
      expect(r.faults['late-old-branch-delivery'], `seed ${r.seed}`).toBeGreaterThan(0);
      expect(r.proposedTo, `seed ${r.seed}`).toBe(r.aggregatedTo);
    }
  });

  it('catches a live proof that claims an old-branch output root', async () => {
    // Prepare: a clean run's final snapshot, one collected range proof claiming another branch's root
    const { snapshot } = await runSimulation(1);
    const proof = snapshot.proofs.find((p) => p.id.startsWith('range-proofs/') && p.status === 'collected')!;
    const planted = { ...proof, postRoot: snapshot.canonical.root(proof.end + 1n) };
    // Act
    const verdict = checkInvariants({
      ...snapshot,
      proofs: snapshot.proofs.map((p) => (p.id === proof.id ? planted : p)),
    });
    // Assess
    expect(verdict.violations).toContain(`${proof.id} (collected) carries an old-branch output root`);
  });

  it("catches an aggregate member that is not the proof of its range group's current attempt", async () => {
    // Prepare: a clean run's final snapshot, one aggregated range proof from an earlier attempt
    const { snapshot } = await runSimulation(1);
    const proof = snapshot.proofs.find((p) => p.id.startsWith('range-proofs/') && p.status === 'collected')!;
    const planted = { ...proof, attempt: proof.attempt + 1 };
    // Act
    const verdict = checkInvariants({
      ...snapshot,
      proofs: snapshot.proofs.map((p) => (p.id === proof.id ? planted : p)),
    });
    // Assess
    expect(verdict.violations.join('\n')).toContain(`holds ${proof.id} of attempt ${proof.attempt + 1}`);
  });

  it('catches an oracle output with an old-branch root', async () => {
    // Prepare: a clean run's final snapshot, the oracle's last output holding another block's root
    const { snapshot } = await runSimulation(1);
    const last = snapshot.oracleOutputs.at(-1)!;
    const roots = [...snapshot.oracleRoots.slice(0, -1), snapshot.canonical.root(last - 1n)];
    // Act
    const verdict = checkInvariants({ ...snapshot, oracleRoots: roots });
    // Assess
    expect(verdict.violations).toContain(`the oracle holds an old-branch output root for block ${last}`);
  });

  it('catches an oracle left behind the aggregate chain', async () => {
    // Prepare: a clean run's final snapshot, as if the last proposal never went out
    const { report, snapshot } = await runSimulation(1);
    const outputs = snapshot.oracleOutputs.slice(0, -1);
    // Act
    const verdict = checkInvariants({ ...snapshot, oracleOutputs: outputs });
    // Assess
    expect(report.violations).toEqual([]);
    expect(report.proposedTo).toBe(report.aggregatedTo);
    expect(verdict.violations).toContain(
      `stuck: the oracle is at ${outputs.at(-1)}, the aggregate chain ends at ${report.aggregatedTo}`,
    );
  });

  it('catches a block covered twice by succeeded range groups', async () => {
    // Prepare: a clean run's final snapshot, with a planted overlapping range group
    const { report, snapshot } = await runSimulation(1);
    const range = succeededRange(snapshot.items);
    const end = BigInt(range.data.end as string);
    const overlap = {
      ...range,
      id: `range/${end - 1n}-${end}`,
      data: { ...range.data, start: `${end - 1n}` },
    };
    // Act
    const verdict = checkInvariants({ ...snapshot, items: [...snapshot.items, overlap] });
    // Assess
    expect(report.violations).toEqual([]);
    expect(verdict.violations).toContain(
      `block ${end} is in 2 succeeded range groups (${range.id}, ${overlap.id})`,
    );
  });

  it('catches a group running without a submission far past its deadline', async () => {
    // Prepare: one succeeded range group turned into a claim whose submit never happened, an hour ago
    const { snapshot } = await runSimulation(1);
    const range = succeededRange(snapshot.items);
    const { jobId: _jobId, submittedAt: _submittedAt, ...claim } = range.data;
    const claimedAt = new Date(snapshot.now.getTime() - 3_600_000).toISOString();
    const stuck = { ...range, status: 'running', data: { ...claim, claimedAt } };
    // Act
    const verdict = checkInvariants({
      ...snapshot,
      items: snapshot.items.map((i) => (i.id === range.id ? stuck : i)),
    });
    // Assess
    expect(verdict.violations).toContain(
      `${range.id} is running without a submission for 3600 s (attempt ${range.data.attempt})`,
    );
  });
});
