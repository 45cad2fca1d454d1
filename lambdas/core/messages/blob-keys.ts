/** Deterministic blob-store keys: a retried write lands on the same key. */

/**
 * The artifact bucket's top-level prefixes: `jobs/` (executor inputs, outputs, failure documents)
 * and `payloads/` (envelope payloads too large for the bus). The CDK app grants and expires by them.
 */
export const ARTIFACT_PREFIX = { jobs: 'jobs/', payloads: 'payloads/' } as const;

/** One of the artifact bucket's prefixes. */
export type ArtifactPrefix = (typeof ARTIFACT_PREFIX)[keyof typeof ARTIFACT_PREFIX];

/**
 * Per group and attempt, so a retry never reads a previous attempt's partial output. `group` is the
 * group's key part (`100-130`, or the hashed form `jobArtifacts` makes for a Match group).
 */
export function jobInputKey(stage: string, group: string, attempt: number): string {
  return `${ARTIFACT_PREFIX.jobs}${stage}/${group}/a${attempt}/input.json`;
}

export function jobOutputKey(stage: string, group: string, attempt: number): string {
  return `${ARTIFACT_PREFIX.jobs}${stage}/${group}/a${attempt}/output.json`;
}

/** Where the hedge of a group's attempt writes its output (its failure document lands beside it). */
export function jobHedgeOutputKey(stage: string, group: string, attempt: number): string {
  return `${ARTIFACT_PREFIX.jobs}${stage}/${group}/a${attempt}/hedge/output.json`;
}

/** Where an envelope payload too large for the bus is kept. */
export function payloadKey(topic: string, key: string): string {
  return `${ARTIFACT_PREFIX.payloads}${topic}/${key}.json`;
}
