import { keyInterval } from '../lambdas/core/messages/ids.js';
import { groupKind, parseGroup } from '../lambdas/core/orchestrator/group/group-item.js';
import type { StateStore, StoredItem } from '../lambdas/core/ports/state-store.js';
import { GROUP_STATUSES } from '../lambdas/core/status.js';

/** The blocks a benchmark run published: start+1..end. */
export interface BenchBlocks {
  readonly startBlock: bigint;
  readonly endBlock: bigint;
}

/** Whether the groups a run formed are right, with the counts the report prints. */
export interface GroupCheck {
  readonly ok: boolean;
  readonly description: string;
  readonly rangeGroups: number;
  readonly aggregateGroups: number;
}

/** Blocks covered by groups (sum of end − start). */
export function spanOf(groups: readonly StoredItem[]): bigint {
  return groups.reduce((sum, item) => {
    const data = parseGroup(item);
    return sum + BigInt(data.end) - BigInt(data.start);
  }, 0n);
}

async function allGroups(store: StateStore, stage: string): Promise<StoredItem[]> {
  const lists = await Promise.all(GROUP_STATUSES.map((status) => store.list(groupKind(stage), status)));
  return lists.flat();
}

/**
 * Every block start+1..end in exactly one range group, every range group succeeded and a member of
 * exactly one aggregate group, every aggregate succeeded and its members exactly range results.
 */
export async function checkGroups(
  store: StateStore,
  rangeStageName: string,
  aggregateStageName: string,
  blocks: BenchBlocks,
): Promise<GroupCheck> {
  const { startBlock, endBlock } = blocks;
  const count = endBlock - startBlock;
  const ranges = await allGroups(store, rangeStageName);
  const aggregates = await allGroups(store, aggregateStageName);
  const problems: string[] = [];
  const notSucceeded = [...ranges, ...aggregates].filter((item) => item.status !== 'succeeded');
  if (notSucceeded.length > 0) {
    problems.push(
      `groups not succeeded: ${notSucceeded.map((item) => `${item.id}=${item.status}`).join(', ')}`,
    );
  }
  const blockOwners = new Map<bigint, number>();
  for (const item of ranges) {
    const data = parseGroup(item);
    for (let n = BigInt(data.start) + 1n; n <= BigInt(data.end); n += 1n) {
      blockOwners.set(n, (blockOwners.get(n) ?? 0) + 1);
    }
  }
  for (let n = startBlock + 1n; n <= endBlock; n += 1n) {
    const owners = blockOwners.get(n) ?? 0;
    if (owners !== 1) problems.push(`block ${n} is in ${owners} range groups`);
  }
  if (blockOwners.size !== Number(count)) problems.push(`range groups cover ${blockOwners.size} blocks`);
  const rangeKeys = new Map<string, number>();
  for (const item of ranges) {
    const data = parseGroup(item);
    rangeKeys.set(`${data.start}-${data.end}`, 0);
  }
  for (const item of aggregates) {
    for (const member of parseGroup(item).memberIds) {
      const key = member.slice(member.lastIndexOf('/') + 1);
      const owners = rangeKeys.get(key);
      if (owners === undefined) problems.push(`${item.id} has member ${member}, not a range group's result`);
      else rangeKeys.set(key, owners + 1);
    }
    const data = parseGroup(item);
    const covered = parseGroup(item)
      .memberIds.map((member) => keyInterval(member.slice(member.lastIndexOf('/') + 1), 'range'))
      .reduce((sum, interval) => sum + interval.end - interval.start, 0n);
    if (covered !== BigInt(data.end) - BigInt(data.start)) {
      problems.push(`${item.id}: members cover ${covered} blocks`);
    }
  }
  for (const [key, owners] of rangeKeys) {
    if (owners !== 1) problems.push(`range ${key} is in ${owners} aggregate groups`);
  }
  const ok = problems.length === 0 && ranges.length > 0 && aggregates.length > 0;
  return {
    ok,
    description: ok
      ? `each of ${count} blocks in exactly one of ${ranges.length} range groups; each range in exactly one of ${aggregates.length} aggregates`
      : problems.slice(0, 10).join('; '),
    rangeGroups: ranges.length,
    aggregateGroups: aggregates.length,
  };
}
