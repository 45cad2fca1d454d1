/** Deterministic blob-store keys: a retried write lands on the same key. */

/**
 * Per group and attempt, so a retry never reads a previous attempt's partial output. `group` is the
 * group's key part (`100-130`, or the hashed form `jobArtifacts` makes for a Match group).
 */
export function jobInputKey(stage: string, group: string, attempt: number): string {
  return `jobs/${stage}/${group}/a${attempt}/input.json`;
}

export function jobOutputKey(stage: string, group: string, attempt: number): string {
  return `jobs/${stage}/${group}/a${attempt}/output.json`;
}

/** Where an envelope payload too large for the bus is kept. */
export function payloadKey(topic: string, key: string): string {
  return `payloads/${topic}/${key}.json`;
}
