import type { JoinStageConfig, PipelineConfig } from '../../config/schema.js';
import { topicProducers } from '../../config/topic-producers.js';
import { PipelineError } from '../../errors.js';
import type { RangeResult } from '../../executor/range-contract.js';
import { messageData, messagePayload } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { ProgramResult } from '../setup/program-plugin.js';

/** A range result as the range plug-in validated it. */
export type RangeProgramResult = ProgramResult & { readonly document: RangeResult };

/** One member of a join group: whose result it is, and the result if it is valid. */
export type JoinMember =
  | {
      readonly messageId: string;
      readonly topic: string;
      /** The proving stage that produced it (the prover the reasons name). */
      readonly prover: string;
      readonly valid: true;
      readonly result: RangeProgramResult;
    }
  | {
      readonly messageId: string;
      readonly topic: string;
      readonly prover: string;
      readonly valid: false;
      /** Why the range plug-in refused it, naming the schema path. */
      readonly problem: string;
    };

/**
 * Reads a join group's members and validates each with the range plug-in (the check a range job's
 * output gets): one result, keyed as its message (the span the group matched on).
 * @throws InvalidInputError when a member message is missing (the group cannot be judged).
 */
export async function loadJoinMembers(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: { readonly id: string; readonly memberIds: readonly string[] },
): Promise<JoinMember[]> {
  const items = await deps.store.getMany(group.memberIds);
  return Promise.all(
    group.memberIds.map(async (messageId, i) => {
      const item = items[i];
      if (item === undefined)
        throw new PipelineError(`join group ${group.id}: member message ${messageId} is missing`);
      const { envelope } = messageData(item);
      const prover = proverOf(deps.config, stage, envelope.topic);
      const base = { messageId, topic: envelope.topic, prover };
      try {
        const results = deps.programs.range.parseOutput(await messagePayload(deps.blobs, envelope));
        const [result] = results;
        if (results.length !== 1 || result === undefined || result.key !== envelope.key) {
          return {
            ...base,
            valid: false as const,
            problem: `expected one range result for span ${envelope.key}, got ${results.map((r) => r.key).join(', ') || 'none'}`,
          };
        }
        return { ...base, valid: true as const, result: result as RangeProgramResult };
      } catch (error) {
        if (!(error instanceof PipelineError)) throw error;
        return { ...base, valid: false as const, problem: error.message };
      }
    }),
  );
}

/** The proving stage that publishes `topic` (its name), or the topic itself when none does. */
export function proverOf(config: PipelineConfig, stage: JoinStageConfig, topic: string): string {
  const producer = topicProducers(config).get(topic);
  return producer?.kind === 'stage' ? producer.stage.name : `${stage.name}:${topic}`;
}
