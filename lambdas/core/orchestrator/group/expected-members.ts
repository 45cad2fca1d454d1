import type { PipelineConfig } from '../../config/schema.js';
import { keyInterval, messageId, rangeKey } from '../../messages/ids.js';
import { stageInbox } from '../messages/message-records.js';
import { blockBoundOf, producingStage } from '../setup/pipeline-stages.js';

/**
 * Most members named ahead: one batch read holds them with the group, and a longer guess would cost
 * more read units than the one call it saves.
 */
const MAX_EXPECTED_MEMBERS = 32;

/**
 * The member ids group `groupId` of a range-keyed Sequential stage has when its producer cut every
 * range at its block bound (`groupSize`/`minSpan` blocks each, from the group's start), so a caller
 * can read them in its first batch read together with the group instead of after it. A guess that
 * misses (a partial flush or a gas cut made other lengths) only costs the member read it would have
 * made anyway. Undefined when there is nothing to guess from: not such a stage's group id, a
 * producer without a block bound or with adaptive sizes, a span that is not whole ranges, or more
 * than `MAX_EXPECTED_MEMBERS` of them.
 *
 * @example
 * expectedMemberIds(config, 'aggregate/0-10'); // ['range-proofs/0-5', 'range-proofs/5-10'] (groupSize 5)
 */
export function expectedMemberIds(config: PipelineConfig, groupId: string): string[] | undefined {
  const slash = groupId.indexOf('/');
  const stage = config.stages.find((s) => s.name === groupId.slice(0, slash));
  if (stage === undefined || stage.collector.strategy !== 'sequential' || stage.collector.keyKind !== 'range')
    return undefined;
  const span = spanOf(groupId.slice(slash + 1));
  const topic = stage.inputTopics[0]!;
  const producer = producingStage(config, topic);
  if (span === undefined || producer === undefined || producer.collector.strategy !== 'sequential')
    return undefined;
  const bound = blockBoundOf(producer);
  if (bound === undefined || producer.collector.adaptiveSize !== undefined) return undefined;
  const blocks = BigInt(bound);
  const count = (span.end - span.start) / blocks;
  if ((span.end - span.start) % blocks !== 0n || count > BigInt(MAX_EXPECTED_MEMBERS)) return undefined;
  const inbox = stageInbox(config, stage.name, topic);
  return Array.from({ length: Number(count) }, (_, i) => {
    const from = span.start + BigInt(i) * blocks;
    return inbox.itemId(messageId(topic, rangeKey(from, from + blocks)));
  });
}

/** The span of a group id's `<start>-<end>` part, or undefined when it is not one. */
function spanOf(key: string): { start: bigint; end: bigint } | undefined {
  try {
    return keyInterval(key, 'range');
  } catch {
    return undefined;
  }
}
