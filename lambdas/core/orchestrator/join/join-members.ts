import type { JoinStageConfig, PipelineConfig } from '../../config/schema.js';
import { topicProducers } from '../../config/topic-producers.js';
import { PipelineError } from '../../errors.js';
import type { RangeResult } from '../../executor/range-contract.js';
import { loadMemberMessages, type MemberMessage } from '../messages/load-member-payloads.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { ProgramResult } from '../setup/program-plugin.js';
import { JoinMemberUnreadableError } from './join-member-unreadable-error.js';

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
 * output gets): one result, keyed as its message (the span the group matched on). Only a result
 * that was read and refused is an invalid member: one that cannot be read at all is an
 * infrastructure fault, thrown so that the group stays `collected` and the next run reads again.
 * @throws JoinMemberUnreadableError when a member message or its result blob is missing or cannot
 * be read (naming the member and the cause); any other error of the stores as it came.
 */
export async function loadJoinMembers(
  deps: OrchestratorDeps,
  stage: JoinStageConfig,
  group: { readonly id: string; readonly memberIds: readonly string[] },
): Promise<JoinMember[]> {
  let messages: MemberMessage[];
  try {
    messages = await loadMemberMessages(deps, group);
  } catch (error) {
    if (!(error instanceof PipelineError)) throw error;
    throw new JoinMemberUnreadableError(group.id, error);
  }
  return messages.map(({ messageId, envelope, payload }) => {
    const base = { messageId, topic: envelope.topic, prover: proverOf(deps.config, stage, envelope.topic) };
    try {
      const results = deps.programs.range.parseOutput(payload);
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
  });
}

/** The proving stage that publishes `topic` (its name), or the topic itself when none does. */
export function proverOf(config: PipelineConfig, stage: JoinStageConfig, topic: string): string {
  const producer = topicProducers(config).get(topic);
  return producer?.kind === 'stage' ? producer.stage.name : `${stage.name}:${topic}`;
}
