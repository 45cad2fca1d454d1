import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

const SECONDS_PER_DAY = 86_400;

/**
 * The `expiresAt` (epoch seconds) of an item that reaches a terminal status now: now plus
 * `storage.stateRetentionDays`. DynamoDB's TTL deletes the item some time after.
 */
export function terminalExpiresAt(deps: Pick<OrchestratorDeps, 'clock' | 'config'>): number {
  return (
    Math.floor(deps.clock.now().getTime() / 1000) + deps.config.storage.stateRetentionDays * SECONDS_PER_DAY
  );
}
