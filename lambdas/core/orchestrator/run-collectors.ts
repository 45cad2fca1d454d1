import type { StageConfig } from '../config/schema.js';
import { collectorFor } from './collector/collector-for.js';
import { groupKind } from './group-records.js';
import { type GroupHandover, handOverGroup } from './hand-over-group.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

export interface CollectorsOutcome {
  /** Groups handed to an executor (or to the checkpoint wait) by this run. */
  readonly groups: readonly GroupHandover[];
  /** Match groups closed incomplete under `onTimeout: fail`. */
  readonly expired: readonly string[];
}

/**
 * Runs the collectors of `stages` (default: all) and hands every `collected` group of those stages
 * to its executor — including groups a crashed run left collected. Called by the dispatcher after
 * recording a message and on a schedule, to flush max-wait partial groups and Match timeouts.
 */
export async function runCollectors(
  deps: OrchestratorDeps,
  stages: readonly StageConfig[] = deps.config.stages,
): Promise<CollectorsOutcome> {
  const groups: GroupHandover[] = [];
  const expired: string[] = [];
  for (const stage of stages) {
    const outcome = await collectorFor(stage).collect(deps);
    expired.push(...outcome.expired);
    for (const item of await deps.store.list(groupKind(stage.name), 'collected')) {
      const handover = await handOverGroup(deps, stage, item);
      if (handover !== undefined) groups.push(handover);
    }
  }
  return { groups, expired };
}
