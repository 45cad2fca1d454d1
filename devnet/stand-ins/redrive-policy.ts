/** The parts of a queue's `RedrivePolicy` attribute the stand-in honours; undefined without a policy or when it names no target or limit. */
export function redrivePolicyOf(
  policy: string | undefined,
): { deadLetterQueueName: string; maxReceiveCount: number } | undefined {
  if (policy === undefined) return undefined;
  const parsed = JSON.parse(policy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
  if (parsed.deadLetterTargetArn === undefined || parsed.maxReceiveCount === undefined) return undefined;
  return {
    deadLetterQueueName: parsed.deadLetterTargetArn.slice(parsed.deadLetterTargetArn.lastIndexOf(':') + 1),
    maxReceiveCount: Number(parsed.maxReceiveCount),
  };
}
