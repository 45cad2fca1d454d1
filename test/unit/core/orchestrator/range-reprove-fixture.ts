import { expect } from 'vitest';
import type { RangeResult } from '../../../../lambdas/core/executor/range-contract.js';
import { dispatchMessage } from '../../../../lambdas/core/orchestrator/dispatch-message.js';
import { finishJob } from '../../../../lambdas/core/orchestrator/group/finish-job.js';
import {
  blockEnvelope,
  hashOf,
  makeDeps,
  rangeResult,
  TEST_PROVER,
  type TestDeps,
} from './orchestrator-fixture.js';

/** A grant at L1 block 1100 (after the ranges' l1Head 1000). */
export const GRANT = {
  checkpoint: { l1BlockNumber: '1100', l1BlockHash: hashOf(1100n, 3) },
  rangeVkey: hashOf(7n, 2),
  proverAddress: TEST_PROVER,
};

/** A range result proven against L1 block `l1Block`. */
export function provenAgainst(start: bigint, end: bigint, l1Block: bigint): RangeResult {
  const result = rangeResult(start, end);
  return { ...result, bootInfo: { ...result.bootInfo, l1Head: hashOf(l1Block) } };
}

/** Finishes range group `(start, end]`'s attempt with a proof against `l1Block` and delivers it. */
export async function proveRange(t: TestDeps, start: bigint, end: bigint, attempt: number, l1Block: bigint) {
  await t.blobs.putJson(
    `jobs/range/${start}-${end}/a${attempt}/output.json`,
    provenAgainst(start, end, l1Block),
  );
  const outcome = await finishJob(t.deps, {
    stage: 'range',
    groupId: `range/${start}-${end}`,
    attempt,
    jobName: `range-${start}-${end}-a${attempt}`,
    status: 'SUCCEEDED',
  });
  expect(outcome).toBe('succeeded');
  return dispatchMessage(t.deps, t.bus.onTopic('range-proofs').at(-1)!);
}

/** Blocks 1–10 proven as range/0-5 and range/5-10 (l1Head block 1000), collected into aggregate/0-10. */
export async function collectedAggregate(): Promise<TestDeps> {
  const t = makeDeps();
  for (let n = 1n; n <= 10n; n++) await dispatchMessage(t.deps, blockEnvelope(n, t.clock));
  await proveRange(t, 0n, 5n, 1, 1000n);
  await proveRange(t, 5n, 10n, 1, 1000n);
  expect((await t.store.get('aggregate/0-10'))!.status).toBe('awaiting-checkpoint');
  return t;
}
