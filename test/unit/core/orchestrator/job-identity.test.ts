import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_NAME_PATTERN } from '../../../../lambdas/core/config/batch-job-settings.js';
import { matchGroupId } from '../../../../lambdas/core/orchestrator/collector/match-collector.js';
import { jobArtifacts } from '../../../../lambdas/core/orchestrator/group/job-artifacts.js';

const stageName = fc.stringMatching(/^[a-z][a-z0-9-]{0,29}$/);

/** Group ids as the collectors make them: spans (Sequential, bisection) and Match values. */
const groupIdOf = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
    .map(([start, span]) => `${start}-${start + span}`),
  fc.string({ minLength: 1, maxLength: 300 }),
);

describe('job identity', () => {
  it('gives two Match groups over the same blocks different jobs and blobs', () => {
    // Prepare: join/x and join/y both cover (0, 10].
    const x = { id: 'join/x', stage: 'join', start: 0n, end: 10n };
    const y = { id: 'join/y', stage: 'join', start: 0n, end: 10n };
    // Act
    const [a, b] = [jobArtifacts(x, 1), jobArtifacts(y, 1)];
    // Assess
    expect(a.name).not.toBe(b.name);
    expect(a.inputKey).not.toBe(b.inputKey);
    expect(a.outputKey).not.toBe(b.outputKey);
  });

  it('keeps the readable span form for span keys', () => {
    expect(jobArtifacts({ id: 'range/100-130', stage: 'range', start: 100n, end: 130n }, 2)).toEqual({
      name: 'range-100-130-a2',
      inputKey: 'jobs/range/100-130/a2/input.json',
      outputKey: 'jobs/range/100-130/a2/output.json',
    });
  });

  it('is unique per group and attempt and always a valid Batch job name', () => {
    fc.assert(
      fc.property(
        stageName,
        fc.uniqueArray(groupIdOf, { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 1, max: 10 }),
        (stage, keys, attempt) => {
          const groups = keys.map((key) => ({ id: matchGroupId(stage, key), stage, start: 0n, end: 0n }));
          const ids = new Set(groups.map((g) => g.id));
          const jobs = groups.flatMap((g) => [jobArtifacts(g, attempt), jobArtifacts(g, attempt + 1)]);
          for (const job of jobs) expect(job.name).toMatch(BATCH_NAME_PATTERN);
          expect(new Set(jobs.map((j) => j.name)).size).toBe(ids.size * 2);
          expect(new Set(jobs.map((j) => j.outputKey)).size).toBe(ids.size * 2);
        },
      ),
    );
  });
});
