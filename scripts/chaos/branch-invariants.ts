import type { StageConfig } from '../../lambdas/core/config/schema.js';
import { pauseId } from '../../lambdas/core/control/pause-switch.js';
import { blockPayloadSchema } from '../../lambdas/core/messages/block-payload.js';
import { groupId, keyInterval } from '../../lambdas/core/messages/ids.js';
import type { Group } from '../../lambdas/core/orchestrator/group/group-state.js';
import { messageData, messageKind } from '../../lambdas/core/orchestrator/messages/message-records.js';
import { L2_REWIND_ID } from '../../lambdas/core/orchestrator/rewind/rewind-intent.js';
import type { ChaosSnapshot } from './chaos-snapshot.js';

/** Message statuses of work the pipeline still builds on or has proposed. */
const LIVE_MESSAGE = new Set(['pending', 'collected', 'proposed']);

/**
 * The invariants an L2 reorg puts at risk (all hold without one too), checked on the final store:
 * - every block from the origin to the head is in exactly one live range group (neither
 *   invalidated nor split), and the succeeded ones were formed of the canonical blocks;
 * - no live block message carries an old-branch hash, no live proof message (pending, collected,
 *   proposed) an old-branch output root, and every root the oracle holds is the canonical one;
 * - every member of a live aggregate group is the proof of its range group's current attempt;
 * - no L2 rewind is left half done and nothing is paused: a reorg within `maxReorgDepth` and above
 *   the proposed head rewinds, it never halts.
 */
export function checkBranchInvariants(
  snapshot: ChaosSnapshot,
  ranges: readonly Group[],
  aggregates: readonly Group[],
): string[] {
  return [
    ...checkLiveRanges(snapshot, ranges),
    ...checkCanonicalWork(snapshot),
    ...checkMemberAttempts(snapshot, ranges, aggregates),
    ...checkNothingLeft(snapshot),
  ];
}

function checkLiveRanges(snapshot: ChaosSnapshot, ranges: readonly Group[]): string[] {
  const violations: string[] = [];
  const origin = BigInt(snapshot.config.chains.l2.startBlock);
  const owners = new Map<bigint, string[]>();
  for (const g of ranges) {
    if (g.status === 'invalidated' || g.status === 'split') continue;
    for (let n = g.start + 1n; n <= g.end; n++) owners.set(n, [...(owners.get(n) ?? []), g.id]);
  }
  for (let n = origin + 1n; n <= snapshot.head; n++) {
    const ids = owners.get(n) ?? [];
    if (ids.length !== 1)
      violations.push(`block ${n} is in ${ids.length} live range groups (${ids.join(', ') || 'none'})`);
  }
  const byId = new Map(snapshot.items.map((item) => [item.id, item]));
  for (const g of ranges.filter((r) => r.status === 'succeeded'))
    for (const member of g.memberIds) {
      const item = byId.get(member);
      const hash = item === undefined ? undefined : blockHash(item);
      const n = BigInt(member.slice(member.lastIndexOf('/') + 1));
      if (hash?.toLowerCase() !== snapshot.canonical.hash(n).toLowerCase())
        violations.push(`${g.id} succeeded on ${member} of an old branch (hash ${hash ?? 'missing'})`);
    }
  return violations;
}

function checkCanonicalWork(snapshot: ChaosSnapshot): string[] {
  const violations: string[] = [];
  const blockKind = messageKind(snapshot.config.watcher.outputTopic);
  for (const item of snapshot.items) {
    if (item.kind !== blockKind || !LIVE_MESSAGE.has(item.status)) continue;
    const n = keyInterval(messageData(item).envelope.key, 'block').end;
    if (blockHash(item)?.toLowerCase() !== snapshot.canonical.hash(n).toLowerCase())
      violations.push(`${item.id} (${item.status}) is a block of an old branch`);
  }
  const { root } = snapshot.canonical;
  for (const proof of snapshot.proofs) {
    if (!LIVE_MESSAGE.has(proof.status)) continue;
    if (proof.preRoot !== root(proof.start) || proof.postRoot !== root(proof.end))
      violations.push(`${proof.id} (${proof.status}) carries an old-branch output root`);
  }
  snapshot.oracleOutputs.forEach((block, i) => {
    const held = snapshot.oracleRoots[i];
    if (held !== undefined && held !== root(block))
      violations.push(`the oracle holds an old-branch output root for block ${block}`);
  });
  return violations;
}

function checkMemberAttempts(
  snapshot: ChaosSnapshot,
  ranges: readonly Group[],
  aggregates: readonly Group[],
): string[] {
  const rangeStage = snapshot.config.stages[0] as StageConfig;
  const attemptOf = new Map(ranges.map((g) => [g.id, g.attempt]));
  const proofs = new Map(snapshot.proofs.map((p) => [p.id, p]));
  const violations: string[] = [];
  for (const agg of aggregates) {
    if (agg.status === 'invalidated') continue;
    for (const member of agg.memberIds) {
      const proof = proofs.get(member);
      if (proof === undefined) continue;
      const producer = groupId(rangeStage.name, proof.start, proof.end);
      const attempt = attemptOf.get(producer);
      if (attempt !== proof.attempt)
        violations.push(
          `${agg.id} (${agg.status}) holds ${member} of attempt ${proof.attempt}; ${producer} is at attempt ${attempt ?? '(none)'}`,
        );
    }
  }
  return violations;
}

function checkNothingLeft(snapshot: ChaosSnapshot): string[] {
  const violations: string[] = [];
  const byId = new Map(snapshot.items.map((item) => [item.id, item]));
  if (byId.has(L2_REWIND_ID)) violations.push('an L2 rewind is still recorded (rewind/l2) after the run');
  for (const target of [{ kind: 'watcher' }, { kind: 'proposer' }] as const) {
    const pause = byId.get(pauseId(target));
    if (pause !== undefined)
      violations.push(`halted: ${pauseId(target)} is set (${String(pause.data.reason ?? '(no reason)')})`);
  }
  return violations;
}

function blockHash(item: ChaosSnapshot['items'][number]): string | undefined {
  const payload = blockPayloadSchema.safeParse(messageData(item).envelope.payload);
  return payload.success ? payload.data.hash : undefined;
}
