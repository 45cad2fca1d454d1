import type { StageConfig } from '../../lambdas/core/config/schema.js';
import { groupId, keyInterval } from '../../lambdas/core/messages/ids.js';
import { groupKind, parseGroup } from '../../lambdas/core/orchestrator/group/group-item.js';
import type { Group } from '../../lambdas/core/orchestrator/group/group-state.js';
import { COMPLETION_GRACE_SECONDS } from '../../lambdas/core/orchestrator/group/reconcile-running-groups.js';
import { CLAIM_GRACE_SECONDS } from '../../lambdas/core/orchestrator/group/recover-stalled-groups.js';
import { messageKind } from '../../lambdas/core/orchestrator/messages/message-records.js';
import { provingStageNamed } from '../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { checkBranchInvariants } from './branch-invariants.js';
import type { ChaosSnapshot } from './chaos-snapshot.js';
import type { SubmitRecord } from './recording-job-runner.js';

export type { ChaosSnapshot } from './chaos-snapshot.js';

export interface ChaosVerdict {
  readonly violations: string[];
  /** Abandoned groups: `<id>: <stored error>`, a named reason the pipeline waits on a person. */
  readonly waitingOnPerson: string[];
  readonly aggregates: number;
  /** The end of the succeeded aggregate chain. */
  readonly aggregatedTo: bigint;
  /** The oracle's latest L2 block. */
  readonly proposedTo: bigint;
}

/** Checks the "never stuck" invariants: coverage, proposals, job identity, no overdue group. */
export function checkInvariants(snapshot: ChaosSnapshot): ChaosVerdict {
  const [rangeStage, aggregateStage] = snapshot.config.stages as [StageConfig, StageConfig];
  const groupsOf = (stage: StageConfig) =>
    snapshot.items.filter((item) => item.kind === groupKind(stage.name)).map((item) => parseGroup(item));
  const ranges = groupsOf(rangeStage);
  const aggregates = groupsOf(aggregateStage);
  const violations: string[] = [];
  const waitingOnPerson = [...ranges, ...aggregates]
    .filter((g) => g.status === 'abandoned')
    .map((g) => `${g.id}: ${g.lastFailure?.error ?? g.expiredReason ?? '(no stored error)'}`);
  const coverage = checkCoverage(snapshot, ranges, aggregates, aggregateStage, waitingOnPerson.length > 0);
  violations.push(...coverage.violations, ...checkJobIdentity(snapshot.calls));
  violations.push(...checkProposals(snapshot, aggregateStage, coverage.end));
  violations.push(...checkDeadlines(snapshot, [...ranges, ...aggregates]));
  violations.push(...checkFailureAccounting(snapshot, [...ranges, ...aggregates]));
  violations.push(...checkBranchInvariants(snapshot, ranges, aggregates));
  return {
    violations,
    waitingOnPerson,
    aggregates: coverage.aggregates,
    aggregatedTo: coverage.end,
    proposedTo: snapshot.oracleOutputs[snapshot.oracleOutputs.length - 1] ?? 0n,
  };
}

/**
 * (1b): the oracle reached the end of the aggregate chain, and every block up to it is in exactly
 * one `proposed` message (the oracle's outputs, in order); nothing stays pending that could go.
 */
function checkProposals(
  snapshot: ChaosSnapshot,
  aggregateStage: StageConfig,
  aggregatedTo: bigint,
): string[] {
  const violations: string[] = [];
  const outputs = snapshot.oracleOutputs;
  const proposedTo = outputs[outputs.length - 1] ?? 0n;
  if (proposedTo !== aggregatedTo)
    violations.push(`stuck: the oracle is at ${proposedTo}, the aggregate chain ends at ${aggregatedTo}`);
  const proposed = snapshot.items
    .filter((item) => item.kind === messageKind(aggregateStage.outputTopic) && item.status === 'proposed')
    .map((item) => ({ id: item.id, ...keyInterval(item.id.slice(item.id.lastIndexOf('/') + 1), 'range') }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const expected = outputs.slice(1).map((end, i) => `${outputs[i]}-${end}`);
  const actual = proposed.map((p) => `${p.start}-${p.end}`);
  if (actual.join(',') !== expected.join(','))
    violations.push(
      `proposed messages ${actual.join(', ') || '(none)'} are not the oracle's outputs ${expected.join(', ') || '(none)'}`,
    );
  return violations;
}

function byStart(groups: readonly Group[]): Group[] {
  return [...groups].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** (1): succeeded aggregates chain from the origin; each block once in the succeeded ranges they aggregate. */
function checkCoverage(
  snapshot: ChaosSnapshot,
  ranges: readonly Group[],
  aggregates: readonly Group[],
  aggregateStage: StageConfig,
  someoneAbandoned: boolean,
): { violations: string[]; aggregates: number; end: bigint } {
  const violations: string[] = [];
  const origin = BigInt(snapshot.config.chains.l2.startBlock);
  const succeededRanges = byStart(ranges.filter((g) => g.status === 'succeeded'));
  const owners = new Map<bigint, string[]>();
  for (const g of succeededRanges)
    for (let n = g.start + 1n; n <= g.end; n++) owners.set(n, [...(owners.get(n) ?? []), g.id]);
  for (const [n, ids] of owners)
    if (ids.length > 1)
      violations.push(`block ${n} is in ${ids.length} succeeded range groups (${ids.join(', ')})`);
  const rangeIds = new Set(succeededRanges.map((g) => g.id));
  const aggregatedBy = new Map<string, string>();
  let end = origin;
  const chain = byStart(aggregates.filter((g) => g.status === 'succeeded'));
  for (const agg of chain) {
    // A gap after an abandoned group is the named wait; an overlap never is.
    if (agg.start < end || (agg.start > end && !someoneAbandoned))
      violations.push(`${agg.id} does not chain: the aggregates before it end at ${end}`);
    let at = agg.start;
    for (const member of agg.memberIds) {
      const { start, end: memberEnd } = keyInterval(member.slice(member.lastIndexOf('/') + 1), 'range');
      const rangeGroup = groupId(ranges[0]?.stage ?? 'range', start, memberEnd);
      if (start !== at) violations.push(`${agg.id}: member ${member} starts at ${start}, expected ${at}`);
      if (!rangeIds.has(rangeGroup))
        violations.push(`${agg.id}: member ${member} is no succeeded range group`);
      const other = aggregatedBy.get(rangeGroup);
      if (other !== undefined) violations.push(`${rangeGroup} is aggregated by both ${other} and ${agg.id}`);
      aggregatedBy.set(rangeGroup, agg.id);
      at = memberEnd;
    }
    if (at !== agg.end) violations.push(`${agg.id}: its members end at ${at}`);
    end = agg.end > end ? agg.end : end;
  }
  if (someoneAbandoned) return { violations, aggregates: chain.length, end };
  // Never stuck: every published block is proven in a range, and what is left after the aggregate
  // chain is too short to form another aggregate.
  for (let n = origin + 1n; n <= snapshot.head; n++)
    if (!owners.has(n)) violations.push(`stuck: block ${n} is in no succeeded range group`);
  const minSpan =
    aggregateStage.collector.strategy === 'sequential' ? aggregateStage.collector.minSpan : undefined;
  if (minSpan !== undefined && snapshot.head - end >= BigInt(minSpan)) {
    violations.push(
      `stuck: blocks ${end + 1n}..${snapshot.head} (≥ minSpan ${minSpan}) are in no succeeded aggregate group`,
    );
  }
  return { violations, aggregates: chain.length, end };
}

/** (2): one job per group attempt, and a job name never started for two different inputs. */
function checkJobIdentity(calls: readonly SubmitRecord[]): string[] {
  const violations: string[] = [];
  const firstByName = new Map<string, SubmitRecord>();
  const nameByAttempt = new Map<string, string>();
  for (const call of calls) {
    const { spec } = call;
    const first = firstByName.get(spec.name);
    if (first === undefined) firstByName.set(spec.name, call);
    else {
      const a = first.spec;
      const same =
        a.groupId === spec.groupId &&
        a.attempt === spec.attempt &&
        a.inputKey === spec.inputKey &&
        a.outputKey === spec.outputKey;
      if (!same)
        violations.push(
          `job ${spec.name} submitted for ${a.groupId} a${a.attempt} and ${spec.groupId} a${spec.attempt}`,
        );
      else if (first.input !== call.input)
        violations.push(`job ${spec.name} submitted again with a different input document`);
    }
    const attemptKey = `${spec.groupId} a${spec.attempt}`;
    const name = nameByAttempt.get(attemptKey);
    if (name !== undefined && name !== spec.name)
      violations.push(`${attemptKey} submitted as ${name} and ${spec.name}`);
    nameByAttempt.set(attemptKey, spec.name);
  }
  return violations;
}

/** (3): no group past its deadline in a non-terminal state (after the final collector run). */
function checkDeadlines(snapshot: ChaosSnapshot, groups: readonly Group[]): string[] {
  const now = snapshot.now.getTime();
  const ageOf = (iso: string | undefined) => (iso === undefined ? 0 : (now - Date.parse(iso)) / 1000);
  const violations: string[] = [];
  for (const g of groups) {
    const updated = ageOf(g.revision?.updatedAt);
    const overdue = (what: string, seconds: number) =>
      violations.push(`${g.id} ${what} for ${Math.round(seconds)} s (attempt ${g.attempt})`);
    if (g.status === 'collected') overdue('is still collected after the final collector run', updated);
    if (g.status === 'awaiting-checkpoint' && updated > CLAIM_GRACE_SECONDS)
      overdue('awaits a checkpoint', updated);
    if (g.status === 'failed' && updated > CLAIM_GRACE_SECONDS)
      overdue('is failed without a way forward', updated);
    if (g.status === 'retried') {
      const waiting = g.notBefore !== undefined && Date.parse(g.notBefore) > now;
      if (!waiting && updated > CLAIM_GRACE_SECONDS)
        overdue('is retried but its new attempt never started', updated);
    }
    if (g.status !== 'running') continue;
    const { submission, claimedAt, name } = g.job;
    if (submission === undefined && ageOf(claimedAt) > CLAIM_GRACE_SECONDS) {
      overdue('is running without a submission', ageOf(claimedAt));
    }
    const timeout = provingStageNamed(snapshot.config, g.stage).executor.timeoutSeconds;
    const since = ageOf(submission?.submittedAt);
    if (
      submission !== undefined &&
      since > timeout + COMPLETION_GRACE_SECONDS &&
      snapshot.jobState(name) !== 'active'
    )
      overdue(`is running though its job ${name} is ${snapshot.jobState(name)}`, since);
  }
  return violations;
}

/**
 * (4): only prover-class failures count toward attempts: a group never records more failures than
 * the executor injected prover-class faults on its jobs (an infrastructure one counted would
 * bisect or abandon a group early).
 */
function checkFailureAccounting(snapshot: ChaosSnapshot, groups: readonly Group[]): string[] {
  return groups
    .filter((g) => g.failures > snapshot.proverFaults(g.id))
    .map(
      (g) =>
        `${g.id} (${g.status}) counts ${g.failures} prover failures but only ${snapshot.proverFaults(g.id)} prover-class faults were injected; last failure: ${g.lastFailure?.error ?? '(none)'}`,
    );
}
