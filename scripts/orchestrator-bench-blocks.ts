import { syntheticWord } from '../devnet/instant-job-runner.js';
import type { SqsQueues } from '../devnet/stand-ins/sqs-queues.js';
import type { PipelineConfig } from '../lambdas/core/config/schema.js';
import type { Envelope } from '../lambdas/core/messages/envelope.js';
import { blockKey } from '../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../lambdas/core/messages/make-envelope.js';
import type { Clock } from '../lambdas/core/ports/clock.js';
import type { CallCounts } from './sdk-call-counts.js';

/** The `blocks` envelopes of L2 blocks `from` to `to` (inclusive), each chained to its parent, as the watcher publishes them. */
export function blockEnvelopes(config: PipelineConfig, from: bigint, to: bigint, clock: Clock): Envelope[] {
  const envelopes: Envelope[] = [];
  for (let n = from; n <= to; n += 1n) {
    const payload = {
      number: n.toString(10),
      hash: syntheticWord(`block:${n}`),
      parentHash: syntheticWord(`block:${n - 1n}`),
    };
    envelopes.push(makeEnvelope(config.watcher.outputTopic, blockKey(n), payload, clock.now()));
  }
  return envelopes;
}

/** Whether every one of `queueNames` holds no message, visible or in flight. */
export function queuesEmpty(queues: SqsQueues, queueNames: readonly string[]): boolean {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return queueNames.every((name) => {
    const attributes = queues.getAttributes(name, region);
    return (
      attributes.ApproximateNumberOfMessages === '0' &&
      attributes.ApproximateNumberOfMessagesNotVisible === '0'
    );
  });
}

/** Empties `calls` in place (the counting middlewares hold the object): what follows is counted afresh. */
export function clearCallCounts(calls: CallCounts): void {
  for (const client of Object.keys(calls)) delete calls[client];
}
