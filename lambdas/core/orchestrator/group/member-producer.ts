import type { StageConfig } from '../../config/schema.js';
import { groupId, keyInterval } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { messageData } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/**
 * The group that produced a member message: the stage whose output topic the message is on and its
 * group of the message's key (`<stage>/<start>-<end>`), or undefined when the item is missing or no
 * stage publishes its topic.
 */
export function memberProducer(
  deps: Pick<OrchestratorDeps, 'config'>,
  item: StoredItem | undefined,
): { readonly stage: StageConfig; readonly groupId: string } | undefined {
  const envelope = item === undefined ? undefined : messageData(item).envelope;
  const stage = deps.config.stages.find((s) => s.outputTopic === envelope?.topic);
  if (envelope === undefined || stage === undefined) return undefined;
  const { start, end } = keyInterval(envelope.key, 'range');
  return { stage, groupId: groupId(stage.name, start, end) };
}
