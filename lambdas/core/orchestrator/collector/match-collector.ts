import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { MatchCollectorConfig, StageConfig } from '../../config/schema.js';
import { isJoinStage, MATCH_ON_KEY } from '../../config/stage-schema.js';
import { keyInterval } from '../../messages/ids.js';
import { METRIC } from '../../ports/telemetry.js';
import { newGroup } from '../group/group-item.js';
import { GroupRepository } from '../group/group-repository.js';
import type { Group, GroupMove } from '../group/group-state.js';
import { joinWaitReason } from '../group/join-wait.js';
import { messageData, messagePayload, settleMessage, stageInbox } from '../messages/message-records.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';
import type { CollectOutcome, Collector } from './collector.js';

interface Member {
  readonly id: string;
  /** The input topic it came on. */
  readonly topic: string;
  readonly key: string;
  readonly receivedAt: number;
  readonly count: number | undefined;
}

/**
 * Match strategy: groups messages from one or more topics whose payloads hold an equal value at
 * `field` (a dotted path, or `@key`: the envelope key, a range result's span). A group is complete at `count` members, or at the count carried in
 * `countField`. An incomplete group whose oldest member waited `timeoutSeconds` is formed anyway
 * (`onTimeout: flush`) or closed with its members `expired` (`onTimeout: fail`).
 *
 * The group id is `<stage>/<value>`, and the conditional create of that item is the one decision:
 * whoever creates it first fixes the members; later runs settle remaining messages against the
 * stored item (members → `collected`, latecomers → `skipped`, or `expired` for a closed group).
 */
export class MatchCollector implements Collector {
  constructor(
    readonly stage: StageConfig,
    private readonly rule: MatchCollectorConfig,
  ) {}

  async collect(deps: OrchestratorDeps): Promise<CollectOutcome> {
    const formed: Group[] = [];
    const expired: string[] = [];
    for (const [value, members] of await this.pendingByValue(deps)) {
      const id = matchGroupId(this.stage.name, value);
      const existing = await new GroupRepository(deps.store).get(id);
      if (existing !== undefined) {
        await this.settleAgainst(deps, existing, members);
        // An undecided `first` join (no valid result yet) takes the late results: joined again now.
        if (this.openForLateResults(existing) && members.some((m) => !existing.memberIds.includes(m.id)))
          formed.push(existing);
        continue;
      }
      const ordered = [...members].sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : 1));
      const disagreement = this.countDisagreement(ordered);
      if (disagreement !== undefined) {
        const item = await this.claim(deps, id, value, ordered, disagreement);
        if (item !== undefined) {
          expired.push(id);
          deps.logger.error('match group refused: its members disagree on the group size', {
            groupId: id,
            reason: disagreement,
            memberIds: ordered.map((m) => m.id),
          });
        }
        continue;
      }
      // A join stage under policy `first` forms at its first result: whichever prover answers first wins.
      const firstWins = isJoinStage(this.stage) && this.stage.join.policy === 'first';
      const needed = firstWins ? 1 : (this.rule.count ?? ordered[0]!.count ?? 0);
      const waitedSeconds = (deps.clock.now().getTime() - ordered[0]!.receivedAt) / 1000;
      const timedOut = waitedSeconds >= this.rule.timeoutSeconds;
      if (needed > 0 && ordered.length >= needed) {
        const item = await this.claim(deps, id, value, ordered.slice(0, needed), undefined);
        if (item !== undefined) formed.push(item);
      } else if (timedOut && this.rule.onTimeout === 'flush') {
        const item = await this.claim(deps, id, value, ordered, undefined);
        if (item !== undefined) formed.push(item);
      } else if (timedOut && (await this.joinStillWaits(deps, ordered))) {
        // A join whose missing side can still arrive waits, named (`joinWaitReason`).
      } else if (timedOut) {
        const reason = `incomplete after ${this.rule.timeoutSeconds} s: ${ordered.length} of ${needed} messages`;
        const item = await this.claim(deps, id, value, ordered, reason);
        if (item !== undefined) {
          expired.push(id);
          deps.logger.warn('match group expired', {
            groupId: id,
            reason,
            memberIds: ordered.map((m) => m.id),
          });
        }
      }
    }
    return { formed, expired };
  }

  /**
   * A join stage past its timeout: true (logged, `JoinWaiting` counted) while a missing input's
   * producing group of the span can still bring its result, so the span is not expired under it.
   */
  private async joinStillWaits(deps: OrchestratorDeps, members: readonly Member[]): Promise<boolean> {
    if (!isJoinStage(this.stage)) return false;
    const reason = await joinWaitReason(
      deps,
      this.stage,
      spanOf(members),
      new Set(members.map((m) => m.topic)),
    );
    if (reason === undefined) return false;
    deps.metrics.count(METRIC.joinWaiting, 1, { stage: this.stage.name });
    deps.logger.warn('join waits past its timeout', { reason, memberIds: members.map((m) => m.id) });
    return true;
  }

  /**
   * A join group under policy `first` still `collected`: its members so far are all invalid (or
   * the join has not run yet), so a later prover's result of the span may still win and is not
   * skipped.
   */
  private openForLateResults(group: Group): boolean {
    return isJoinStage(this.stage) && this.stage.join.policy === 'first' && group.status === 'collected';
  }

  /**
   * With `countField`, every member must carry the same count: a group whose members disagree
   * cannot be sized, so it is refused. Returns the reason naming each member's value, or undefined.
   */
  private countDisagreement(members: readonly Member[]): string | undefined {
    const field = this.rule.countField;
    if (field === undefined || new Set(members.map((m) => m.count)).size <= 1) return undefined;
    const values = members.map((m) => `${m.id}=${m.count}`).join(', ');
    return `members disagree on ${field}: ${values}`;
  }

  /** Pending messages of every input topic, by matched value. Messages without the field are skipped. */
  private async pendingByValue(deps: OrchestratorDeps): Promise<Map<string, Member[]>> {
    const byValue = new Map<string, Member[]>();
    for (const topic of this.stage.inputTopics) {
      for (const item of await deps.store.list(
        stageInbox(deps.config, this.stage.name, topic).kind,
        'pending',
      )) {
        const { envelope, receivedAt } = messageData(item);
        const payload = await messagePayload(deps.blobs, envelope);
        const value = this.rule.field === MATCH_ON_KEY ? envelope.key : valueAt(payload, this.rule.field);
        const count =
          this.rule.countField === undefined ? undefined : Number(valueAt(payload, this.rule.countField));
        if (value === undefined || (count !== undefined && !(Number.isInteger(count) && count >= 1))) {
          deps.logger.warn('message cannot be matched', { messageId: item.id, field: this.rule.field });
          await settleMessage(deps, item.id, 'skipped');
          continue;
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const member: Member = {
          id: item.id,
          topic,
          key: envelope.key,
          receivedAt: Date.parse(receivedAt),
          count,
        };
        byValue.set(text, [...(byValue.get(text) ?? []), member]);
      }
    }
    return byValue;
  }

  /**
   * Creates the group item (or, with `expiredReason`, a closed group in `abandoned`) and settles
   * its members. Returns the item when this call created it.
   */
  private async claim(
    deps: OrchestratorDeps,
    id: string,
    value: string,
    members: readonly Member[],
    expiredReason: string | undefined,
  ): Promise<Group | undefined> {
    const { start, end } = spanOf(members);
    const memberIds = members.map((m) => m.id);
    const base = newGroup(this.stage.name, start, end, memberIds, { id, matchValue: value });
    const group: GroupMove =
      expiredReason === undefined ? base : { ...base, status: 'abandoned', expiredReason };
    const groups = new GroupRepository(deps.store);
    const created = await groups.create(group);
    const stored = await groups.get(id);
    if (stored !== undefined) await this.settleAgainst(deps, stored, members);
    return created === undefined ? undefined : stored;
  }

  private async settleAgainst(
    deps: OrchestratorDeps,
    group: Group,
    members: readonly Member[],
  ): Promise<void> {
    const closed = group.status === 'abandoned' && group.expiredReason !== undefined;
    const open = this.openForLateResults(group);
    for (const member of members) {
      const inGroup = group.memberIds.includes(member.id);
      // Left pending for the join, which adds it to the group (`joinFirstWithoutValid`).
      if (open && !inGroup) continue;
      const to = closed ? 'expired' : inGroup ? 'collected' : 'skipped';
      const status = await settleMessage(deps, member.id, to);
      if (to === 'skipped' && status === 'skipped') {
        deps.logger.warn('message skipped: its match group was already formed without it', {
          messageId: member.id,
          groupId: group.id,
          matchValue: group.matchValue,
        });
      }
    }
  }
}

/** Deterministic group id from stage and matched value; long or unusual values are hashed. */
export function matchGroupId(stage: string, value: string): string {
  if (/^[A-Za-z0-9._:-]{1,120}$/.test(value)) return `${stage}/${value}`;
  return `${stage}/h-${bytesToHex(sha256(utf8ToBytes(value))).slice(0, 40)}`;
}

function valueAt(payload: unknown, path: string): unknown {
  let current = payload;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current === null ? undefined : current;
}

/** The blocks the members cover, from their keys (block or range keys); 0-0 when keys are neither. */
function spanOf(members: readonly Member[]): { start: bigint; end: bigint } {
  const intervals = members.map((m) => intervalOf(m.key)).filter((i) => i !== undefined);
  if (intervals.length === 0) return { start: 0n, end: 0n };
  let { start, end } = intervals[0]!;
  for (const interval of intervals) {
    if (interval.start < start) start = interval.start;
    if (interval.end > end) end = interval.end;
  }
  return { start, end };
}

function intervalOf(key: string): { start: bigint; end: bigint } | undefined {
  for (const kind of ['range', 'block'] as const) {
    try {
      return keyInterval(key, kind);
    } catch {}
  }
  return undefined;
}
