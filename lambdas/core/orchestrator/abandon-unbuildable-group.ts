import type { StageConfig } from '../config/schema.js';
import { InvalidInputError, MissingBlobError } from '../errors.js';
import type { StoredItem } from '../ports/state-store.js';
import { METRIC } from '../ports/telemetry.js';
import { MAX_GROUP_ERROR_CHARS, moveGroup } from './group-records.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Whether `error` says a group's executor input cannot be built from what is stored (a member
 * message or payload blob missing or not of the program's shape). Such a group can never run, so
 * it is abandoned instead of blocking its stage; any other error (a store outage) is left to the
 * caller's retry.
 */
export function isUnbuildableInput(error: unknown): error is InvalidInputError | MissingBlobError {
  return error instanceof InvalidInputError || error instanceof MissingBlobError;
}

/**
 * Abandons a group whose executor input cannot be built: `<status> → failed` with the error and
 * `inputUnbuildable` recorded on the group, then `failed → abandoned`, counting
 * `METRIC.groupAbandoned`. A repeat on the `failed` item (after a crash between the writes)
 * finishes the move. Returns the abandoned item, or undefined when another writer moved the group
 * first.
 */
export async function abandonUnbuildableGroup(
  deps: OrchestratorDeps,
  stage: StageConfig,
  item: StoredItem,
  error: string,
): Promise<StoredItem | undefined> {
  const failed =
    item.status === 'failed'
      ? item
      : await moveGroup(deps.store, item, 'failed', {
          error: error.slice(0, MAX_GROUP_ERROR_CHARS),
          inputUnbuildable: true,
        });
  if (failed === undefined) return undefined;
  const abandoned = await moveGroup(deps.store, failed, 'abandoned');
  if (abandoned === undefined) return undefined;
  deps.metrics.count(METRIC.groupAbandoned, 1, { stage: stage.name });
  deps.logger.error('group abandoned: its executor input cannot be built', {
    groupId: item.id,
    attempt: failed.data.attempt,
    error,
  });
  return abandoned;
}
