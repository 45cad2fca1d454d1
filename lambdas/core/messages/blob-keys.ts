/** Deterministic blob-store keys: a retried write lands on the same key. */
export function blockDataKey(number: bigint): string {
  return `blocks/${number}.json`;
}

/** Per attempt, so a retry never reads a previous attempt's partial output. */
export function jobInputKey(stage: string, start: bigint, end: bigint, attempt: number): string {
  return `jobs/${stage}/${start}-${end}/a${attempt}/input.json`;
}

export function jobOutputKey(stage: string, start: bigint, end: bigint, attempt: number): string {
  return `jobs/${stage}/${start}-${end}/a${attempt}/output.json`;
}

/** Where an envelope payload too large for the bus is kept. */
export function payloadKey(topic: string, key: string): string {
  return `payloads/${topic}/${key}.json`;
}
