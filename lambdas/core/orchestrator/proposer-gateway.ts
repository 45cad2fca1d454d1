import type { z } from 'zod';
import { isProvingStage } from '../config/stage-schema.js';
import { StagePauses } from '../control/stage-pauses.js';
import type { Envelope } from '../messages/envelope.js';
import { groupId } from '../messages/ids.js';
import type { StoredItem } from '../ports/state-store.js';
import { assertTransition, MESSAGE_TRANSITIONS } from '../status.js';
import { budgetAllowsSubmit } from './budget/budget-guard.js';
import { expireProposedSpan } from './expire-proposed-span.js';
import { giveCheckpoint } from './group/give-checkpoint.js';
import { GroupRepository } from './group/group-repository.js';
import type { GroupIn } from './group/group-state.js';
import { reopenGroup } from './group/reopen-group.js';
import { type MemberReprove, reproveMembers } from './group/reprove-members.js';
import { loadMemberPayloads, parseMemberPayloads } from './messages/load-member-payloads.js';
import {
  messageData,
  messageKind,
  messagePayload,
  settleMessage,
  settleMessages,
} from './messages/message-records.js';
import type { OrchestratorDeps } from './setup/orchestrator-deps.js';
import type { CheckpointGrant } from './setup/program-plugin.js';

/** A group waiting for the proposer's L1 checkpoint. */
export type WaitingGroup = GroupIn<'awaiting-checkpoint'>;

/** A pending message of the proposer's input topic. */
export interface PendingProof {
  /** The message id, e.g. `aggregate-proofs/100-400`. */
  readonly id: string;
  readonly envelope: Envelope;
}

/**
 * What the proposer may ask of the orchestrator, and nothing else: groups waiting for an L1
 * checkpoint and their members, giving them one, the pending proofs on its input topic, settling
 * them, and reopening a proof whose checkpoint an L1 reorg replaced.
 */
export interface ProposerGateway {
  /**
   * Groups of the stages with `executor.l1Checkpoint` that wait for the proposer, in start order per
   * stage; none of a paused stage (one switch read per stage with waiting groups) or of a stage whose
   * day's budget is spent (`budgetAllowsSubmit`), so a held-back stage costs no checkpoint transaction.
   */
  groupsAwaitingCheckpoint(): Promise<WaitingGroup[]>;
  /**
   * A waiting group's members, in one batch read: their payloads in member order, parsed with
   * `schema` (e.g. the range proofs of an aggregate group), and the ids of those now being re-proven
   * in place (`superseded` until their re-proof lands).
   * @throws InvalidInputError naming the message and path of a payload that does not match.
   */
  waitingMembers<S extends z.ZodType>(
    group: WaitingGroup,
    schema: S,
    what: string,
  ): Promise<{ readonly payloads: z.output<S>[]; readonly reproving: string[] }>;
  /**
   * Re-proves in place the members of `holderId` whose L1 head left L1 (`reproveMembers`); the
   * group waits, with `reason` recorded, until every member is current again.
   */
  reproveMembers(input: {
    readonly holderId: string;
    readonly memberIds: readonly string[];
    readonly reason: string;
  }): Promise<MemberReprove>;
  /** Event "checkpoint given" (`giveCheckpoint`). */
  giveCheckpoint(
    groupId: string,
    grant: CheckpointGrant,
  ): Promise<'submitted' | 'not-awaiting' | 'abandoned' | 'paused'>;
  /** Pending messages of `proposer.inputTopic`, in start order. */
  pendingProofs(): Promise<PendingProof[]>;
  /** A proof message's payload (read from the blob store when it travelled by key). */
  proofPayload(envelope: Envelope): Promise<unknown>;
  /**
   * Moves a pending proof message to `proposed` or `skipped`; returns the status it ends in. A
   * proposed proof's whole chain (its groups and their member messages) gets an expiry first.
   */
  settleProof(messageId: string, to: 'proposed' | 'skipped'): Promise<string | undefined>;
  /**
   * Moves a `proposed` proof message back to pending (its proposal left the canonical L1 chain) and
   * drops its own expiry; returns the status it ends in (a message not `proposed` is left as it is).
   */
  reopenProposedProof(messageId: string): Promise<string | undefined>;
  /**
   * Event "reopen" for the group that produced the proof `messageId` covering `interval` (of the
   * stage whose output topic is `proposer.inputTopic`). `no-stage` when no stage produces it.
   */
  reopenProof(input: {
    readonly messageId: string;
    readonly interval: { readonly start: bigint; readonly end: bigint };
    readonly reason: string;
  }): Promise<{ readonly groupId?: string; readonly outcome: 'reopened' | 'not-reopenable' | 'no-stage' }>;
}

/** The gateway over the orchestrator's dependencies (built once by the composition root). */
export function proposerGateway(deps: OrchestratorDeps): ProposerGateway {
  const { config, store, blobs } = deps;
  const groups = new GroupRepository(store);
  return {
    async groupsAwaitingCheckpoint() {
      const stages = config.stages.filter(isProvingStage).filter((stage) => stage.executor.l1Checkpoint);
      const pauses = new StagePauses(deps);
      const perStage = await Promise.all(
        stages.map(async (stage) => {
          const waiting = await groups.list(stage.name, 'awaiting-checkpoint');
          if (waiting.length === 0 || (await pauses.of(stage.name)) !== undefined) return [];
          return (await budgetAllowsSubmit(deps, stage)) ? waiting : [];
        }),
      );
      return perStage.flat();
    },
    async waitingMembers(group, schema, what) {
      const items = await store.getMany(group.memberIds);
      const held = items.filter((item): item is StoredItem => item !== undefined);
      const payloads = parseMemberPayloads(await loadMemberPayloads(deps, group, held), schema, what);
      return { payloads, reproving: group.memberIds.filter((_, i) => items[i]?.status === 'superseded') };
    },
    reproveMembers: (input) => reproveMembers(deps, input),
    giveCheckpoint: (id, grant) => giveCheckpoint(deps, id, grant),
    async pendingProofs() {
      const items = await store.list(messageKind(config.proposer.inputTopic), 'pending');
      return items.map((item) => ({ id: item.id, envelope: messageData(item).envelope }));
    },
    proofPayload: (envelope) => messagePayload(blobs, envelope),
    async settleProof(messageId, to) {
      if (to === 'skipped') return settleMessage(deps, messageId, to);
      // Before the move: a run that crashes part way expires the rest when it settles again. The
      // message as the walk read it is settled from that read (conditional on its version).
      const { message } = await expireProposedSpan(deps, messageId);
      if (message === undefined) return undefined;
      const [settled] = await settleMessages(deps, [messageId], to, [message]);
      return settled?.status;
    },
    async reopenProposedProof(messageId) {
      for (;;) {
        const item = await store.get(messageId);
        if (item?.status !== 'proposed') return item?.status;
        assertTransition(MESSAGE_TRANSITIONS, `message ${messageId}`, 'proposed', 'pending');
        const { expiresAt: _expiry, ...kept } = item;
        if (await store.replace({ ...kept, status: 'pending' }, item.version)) return 'pending';
      }
    },
    async reopenProof({ messageId, interval, reason }) {
      const stage = config.stages.find((s) => s.outputTopic === config.proposer.inputTopic);
      if (stage === undefined) return { outcome: 'no-stage' };
      const id = groupId(stage.name, interval.start, interval.end);
      return { groupId: id, outcome: await reopenGroup(deps, { groupId: id, messageId, reason }) };
    },
  };
}
