import type { PipelineConfig } from '../../config/schema.js';
import { keyInterval } from '../../messages/ids.js';
import type { KeyKind } from '../../messages/key-kind.js';
import type { StoredItem } from '../../ports/state-store.js';
import { messageData, messageKind, stageInbox } from '../messages/message-records.js';
import { stagesConsuming } from '../setup/pipeline-stages.js';

/** One place messages of a topic are stored: the topic's own items, or one consuming stage's copies. */
export interface MessageShelf {
  readonly topic: string;
  readonly kind: string;
  /** `block` for the watcher's topic, `range` for the stages' outputs. */
  readonly keyKind: KeyKind;
  /** Counted as `ReorgWorkInvalidated{kind}`: `block` (watcher topic) or `proof` (a stage's output). */
  readonly workKind: 'block' | 'proof';
}

/**
 * Every place a message built on L2 blocks is stored, walked generically from the config: the
 * watcher's topic and each stage's output topic: the topic's own items and, when several stages
 * read it, each consuming stage's copies.
 */
export function messageShelves(config: PipelineConfig): MessageShelf[] {
  const topics = [config.watcher.outputTopic, ...config.stages.map((s) => s.outputTopic)];
  const shelves = new Map<string, MessageShelf>();
  for (const topic of topics) {
    const keyKind: KeyKind = topic === config.watcher.outputTopic ? 'block' : 'range';
    const workKind = keyKind === 'block' ? 'block' : 'proof';
    const consumers = stagesConsuming(config, topic);
    // The topic's own items always exist (recordDelivery); a fan-out adds one copy per consumer.
    const kinds = [
      messageKind(topic),
      ...consumers.map((stage) => stageInbox(config, stage.name, topic).kind),
    ];
    for (const kind of kinds) shelves.set(kind, { topic, kind, keyKind, workKind });
  }
  return [...shelves.values()];
}

/** The last block a message covers, or undefined when its key is not of the shelf's kind (a foreign message). */
export function messageEnd(item: StoredItem, keyKind: KeyKind): bigint | undefined {
  try {
    return keyInterval(messageData(item).envelope.key, keyKind).end;
  } catch {
    return undefined;
  }
}
