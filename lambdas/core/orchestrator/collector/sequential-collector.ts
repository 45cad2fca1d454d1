import * as z from 'zod';
import type { SequentialCollectorConfig, StageConfig } from '../../config/schema.js';
import { isProvingStage } from '../../config/stage-schema.js';
import { blockGasUsed } from '../../messages/block-payload.js';
import { cursorId, groupId, keyInterval, sortKeyOf } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import { decimalString } from '../../schema/primitives.js';
import type { Group } from '../group/group-state.js';
import { messageData, stageInbox } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import { adaptiveRangeBlocks } from './adaptive-range-size.js';
import type { CollectOptions, CollectOutcome, Collector } from './collector.js';
import {
  type CreatedIn,
  finishDecidedGroup,
  type PlannedGroup,
  plannedGroupSchema,
} from './decided-group.js';
import { type PlanPage, planPageFrom, readPlanPage } from './plan-page.js';
import { type PrefetchedMembers, prefetchedPage } from './prefetched-members.js';
import { firstRangeLength } from './range-cut.js';
import { sweepStaleMessages } from './stale-sweep.js';

/**
 * Cursor data. `lastGroup` is the group the cursor was last advanced for: the cursor write is the
 * moment a group is decided, and the steps after it (mark members, create the group item) are
 * finished by whichever collector reads the cursor next, so a crash between them loses nothing.
 */
const cursorDataSchema = z.object({
  position: decimalString,
  lastGroup: plannedGroupSchema.optional(),
  /** The last L2 rewind that moved or marked the cursor (`rewindStage`): the decisions since know of it. */
  rewoundBy: z.string().optional(),
});

interface Candidate {
  /** The pending message item as the plan page read it. */
  readonly item: StoredItem;
  readonly start: bigint;
  readonly end: bigint;
  readonly receivedAt: number;
  /** Block messages of a stage that cuts by gas: the block's gas, undefined if the message has none. */
  readonly gasUsed: bigint | undefined;
}

/** A planned group, the member items as planning read them, and the page planning ended on. */
interface Plan {
  readonly group: PlannedGroup | undefined;
  readonly members: readonly StoredItem[];
  readonly page: PlanPage;
}

/**
 * Sequential strategy: groups contiguous messages starting exactly at the stage cursor.
 *
 * A message keyed by block `n` covers (n-1, n], one keyed `a-b` covers (a, b]; a group is a chain
 * of messages where each starts where the previous ended, beginning at the cursor. A group is ready
 * at `groupSize` messages or a span ≥ `minSpan`, for block keys also before the block that would
 * take its gas past `maxGasPerRange` (`range-cut.ts`), or as a partial chain once its oldest message
 * waited `maxWaitSeconds`. A gap is never skipped: the chain simply stops there. Only that partial
 * flush depends on time; every other boundary is a function of the blocks and their gas.
 *
 * Exactly-once without transactions: (1) the cursor is advanced with a version-conditional replace
 * that also records the planned group — only one concurrent collector can win; (2) members are
 * marked `collected` (range keys; block messages stay `pending`, see `membersStayPending`); (3) the group item is created (conditional create). Every run first finishes
 * the cursor's `lastGroup` (steps 2–3 are idempotent), and only then plans the next group.
 */
export class SequentialCollector implements Collector {
  constructor(
    readonly stage: StageConfig,
    private readonly rule: SequentialCollectorConfig,
  ) {}

  async collect(deps: OrchestratorDeps, options: CollectOptions = {}): Promise<CollectOutcome> {
    const formed: Group[] = [];
    const heldMembers = new Map<string, readonly StoredItem[]>();
    // Stale messages never block a group (planning starts at the cursor), so only the sweep settles them.
    let sweptStale = options.sweeps !== true;
    let cursor = await this.readCursor(deps);
    // When this run's own replace decided lastGroup: its members as this run's plan read them, and the
    // page it ended on, where the next plan starts (read after this run recorded its own messages).
    let decidedHere: readonly StoredItem[] | undefined;
    let carried: PlanPage | undefined;
    let prefetched = options.prefetched;
    for (;;) {
      const data = parseItemData(cursorDataSchema, cursor.data, 'cursor item', cursor.id);
      const last = data.lastGroup;
      // A group this process saw finished at this very cursor version needs no read (`FinishedGroups`).
      if (
        last !== undefined &&
        options.finishedGroups?.isFinished(this.stage.name, cursor.version, last.id) !== true
      ) {
        const finished = await finishDecidedGroup(deps, this.stage, last, decidedHere, {
          createdIn: this.createdIn,
          marksMembers: !this.membersStayPending,
          ...(data.rewoundBy === undefined ? {} : { rewoundBy: data.rewoundBy }),
        });
        if (finished.group !== undefined) formed.push(finished.group);
        if (finished.group !== undefined && finished.members !== undefined)
          heldMembers.set(finished.group.id, finished.members);
        if (finished.group?.status === 'collected')
          options.finishedGroups?.formed(this.stage.name, cursor.version, last.id);
        else if (finished.group !== undefined || finished.pastCollected)
          options.finishedGroups?.finished(this.stage.name, cursor.version, last.id);
      }
      const position = BigInt(data.position);
      options.finishedGroups?.sawPosition(this.stage.name, position);
      if (!sweptStale) {
        // Where members stay pending (`membersStayPending`) only messages before the origin are stale.
        const bound = this.membersStayPending && deps.origin < position ? deps.origin : position;
        // Its list, when it can, is also the first plan page (`sweepStaleMessages`): one Query, not two.
        const page = await sweepStaleMessages(deps, this.inboxKind(deps), bound, position);
        carried ??= page;
        sweptStale = true;
      }
      // The read-ahead members stand for the first page once, when the guess was right.
      if (carried === undefined && prefetched?.position === position)
        carried = await readPrefetched(deps, prefetched);
      prefetched = undefined;
      const { group: planned, members, page } = await this.plan(deps, position, carried);
      if (planned === undefined) return { formed, expired: [], heldMembers };
      // Other fields (an L2 rewind's mark, `rewoundBy`) are kept: they tell a repeated rewind it is done.
      const next = { ...cursor, data: { ...cursor.data, position: planned.end, lastGroup: planned } };
      if (await deps.store.replace(next, cursor.version)) {
        // Won: the stored cursor is `next` at the next version, no need to read it back.
        cursor = { ...next, version: cursor.version + 1 };
        options.finishedGroups?.sawPosition(this.stage.name, BigInt(planned.end));
        [decidedHere, carried] = [members, page];
      } else {
        // Lost: another collector decided the group at this position; read its cursor and go on.
        cursor = await this.readCursor(deps);
        [decidedHere, carried] = [undefined, undefined];
      }
    }
  }

  /**
   * A checkpointed stage's groups wait for the proposer from their first write on; another proving
   * stage's start with their first job claimed when the stage takes one.
   */
  private get createdIn(): CreatedIn {
    if (!isProvingStage(this.stage)) return 'collected';
    return this.stage.executor.l1Checkpoint === true ? 'awaiting-checkpoint' : 'claimed';
  }

  /**
   * Block messages stay `pending` as members: one id per block, and the cursor passes a block only
   * by grouping it, so a pending block behind the cursor is a member of the group covering it, except
   * a block before the origin (never planned: the sweep skips those). Saves a write per block. Range
   * messages can overlap (a cut re-formed after a rewind), so theirs are still marked `collected`.
   */
  private get membersStayPending(): boolean {
    return this.rule.keyKind === 'block';
  }

  private inboxKind(deps: OrchestratorDeps): string {
    return stageInbox(deps.config, this.stage.name, this.stage.inputTopics[0]!).kind;
  }

  private async readCursor(deps: OrchestratorDeps): Promise<StoredItem> {
    const id = cursorId(this.stage.name);
    for (;;) {
      const existing = await deps.store.get(id);
      if (existing !== undefined) return existing;
      const created = {
        id,
        kind: 'cursor',
        status: 'active',
        sortKey: this.stage.name,
        data: { position: deps.origin.toString(10) },
      };
      if (await deps.store.create(created)) return { ...created, version: 1, updatedAt: '' };
    }
  }

  /**
   * The next ready group starting at `position`, or none. Reads pending messages a page at a time
   * from the end of the chain so far, and stops at the first gap or once the group is complete.
   * `carried`: the page this run's previous plan ended on (read after this run recorded its messages;
   * one recorded since is planned by its own delivery's run) is the first page from `position` on.
   */
  private async plan(deps: OrchestratorDeps, position: bigint, carried?: PlanPage): Promise<Plan> {
    const chain: Candidate[] = [];
    let at = position;
    let page =
      carried === undefined
        ? await readPlanPage(deps.store, this.inboxKind(deps), at)
        : planPageFrom(carried, position);
    for (;;) {
      const byStart = this.candidatesByStart(page.items);
      for (let next = byStart.get(at); next !== undefined; next = byStart.get(at)) {
        chain.push(next);
        at = next.end;
      }
      const members = await this.isComplete(deps, chain, position);
      if (members !== undefined) return this.planned(deps, position, chain.slice(0, members), page);
      // The chain stops at `at`. Read on only when the page ended before any message starting at or
      // after `at` (sort keys are interval starts): then the next page starts there. A page reaching
      // past `at` without a message starting at it is a gap. Each further page starts strictly later.
      const last = page.items.at(-1);
      if (page.complete || (last !== undefined && last.sortKey >= sortKeyOf(at))) break;
      page = await readPlanPage(deps.store, this.inboxKind(deps), at);
    }
    const none = { group: undefined, members: [], page };
    if (chain.length === 0 || this.rule.maxWaitSeconds === undefined) return none;
    const oldest = Math.min(...chain.map((c) => c.receivedAt));
    const waitedSeconds = (deps.clock.now().getTime() - oldest) / 1000;
    return waitedSeconds >= this.rule.maxWaitSeconds ? this.planned(deps, position, chain, page) : none;
  }

  /**
   * Candidates by interval start; of two messages at one start (overlapping ranges) the shorter,
   * which chains further. A block message carries its gas when the stage cuts by gas.
   */
  private candidatesByStart(items: readonly StoredItem[]): Map<bigint, Candidate> {
    const byGas = this.rule.keyKind === 'block' && this.rule.maxGasPerRange !== undefined;
    const byStart = new Map<bigint, Candidate>();
    for (const item of items) {
      const { envelope, receivedAt } = messageData(item);
      const { start, end } = keyInterval(envelope.key, this.rule.keyKind);
      const known = byStart.get(start);
      if (known === undefined || end < known.end || (end === known.end && item.id < known.item.id)) {
        const gasUsed = byGas ? blockGasUsed(envelope) : undefined;
        byStart.set(start, { item, start, end, receivedAt: Date.parse(receivedAt), gasUsed });
      }
    }
    return byStart;
  }

  /**
   * How many of the chain's leading messages form a complete group, or undefined while none does.
   * Block keys follow the range cut (`groupSize` or `minSpan` blocks, `maxGasPerRange` gas): a
   * function of the block numbers and their gas only, so every stage reading the same blocks cuts
   * the same groups. A block message recorded before the watcher carried `gasUsed` counts as 0 gas.
   * `adaptiveSize` caps a range at its epoch's stored size and end (`adaptive-range-size.ts`).
   */
  private async isComplete(
    deps: OrchestratorDeps,
    chain: readonly Candidate[],
    position: bigint,
  ): Promise<number | undefined> {
    const { groupSize, minSpan, keyKind, maxGasPerRange, adaptiveSize } = this.rule;
    if (keyKind === 'block') {
      if (chain.length === 0 || (groupSize ?? minSpan ?? maxGasPerRange ?? adaptiveSize) === undefined)
        return undefined;
      const adapted =
        adaptiveSize === undefined ? Infinity : await adaptiveRangeBlocks(deps, adaptiveSize, position);
      const blocks = Math.min(groupSize ?? Infinity, minSpan ?? Infinity, adapted);
      const gas = maxGasPerRange === undefined ? undefined : BigInt(maxGasPerRange);
      return firstRangeLength(
        chain.map((c) => c.gasUsed ?? 0n),
        blocks,
        gas,
      );
    }
    const index = chain.findIndex(
      (c, i) =>
        (groupSize !== undefined && i + 1 >= groupSize) ||
        (minSpan !== undefined && c.end - position >= BigInt(minSpan)),
    );
    return index === -1 ? undefined : index + 1;
  }

  /** The planned group of `chain`; warns when block messages without `gasUsed` were cut as 0 gas. */
  private planned(deps: OrchestratorDeps, start: bigint, chain: readonly Candidate[], page: PlanPage): Plan {
    const group = planned(this.stage.name, start, chain);
    const withoutGas =
      this.rule.maxGasPerRange === undefined ? 0 : chain.filter((c) => c.gasUsed === undefined).length;
    if (withoutGas > 0) {
      deps.logger.warn('group cut with block messages that carry no gasUsed, counted as 0 gas', {
        groupId: group.id,
        messagesWithoutGas: withoutGas,
      });
    }
    return { group, members: chain.map((c) => c.item), page };
  }
}

/** The read-ahead items, from the run's batch read (`RunReads`: no call of their own). */
async function readPrefetched(deps: OrchestratorDeps, prefetched: PrefetchedMembers): Promise<PlanPage> {
  return prefetchedPage(await Promise.all(prefetched.ids.map((id) => deps.store.get(id))));
}

function planned(stage: string, start: bigint, chain: readonly Candidate[]): PlannedGroup {
  const end = chain[chain.length - 1]!.end;
  return {
    id: groupId(stage, start, end),
    start: start.toString(10),
    end: end.toString(10),
    memberIds: chain.map((c) => c.item.id),
  };
}
