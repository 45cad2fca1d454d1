import {
  clearPause,
  listPauses,
  type PauseState,
  type PauseTarget,
  parsePauseTarget,
  pauseId,
  pauseTargetName,
  readPause,
  setPause,
} from '../../../lambdas/core/control/pause-switch.js';
import type { OrchestratorDeps } from '../../../lambdas/core/orchestrator/setup/orchestrator-deps.js';
import { formatTable } from '../../output/format-table.js';
import { OpsError } from '../../output/ops-error.js';
import { type OperatorAction, readOperatorLog, recordOperatorAction } from '../groups/operator-log.js';

/** What `pause` or `resume` did, and the switch's operator log afterwards. */
export interface PauseMoveOutcome {
  readonly action: 'pause' | 'resume';
  /** `watcher`, `proposer` or `stage:<name>`. */
  readonly target: string;
  /** `pause/watcher`, `pause/proposer`, `pause/stage/<name>`. */
  readonly switchId: string;
  /** pause: the switch as stored now; resume: the switch it cleared (undefined when none was set). */
  readonly switch?: PauseState;
  readonly by: string;
  readonly at: string;
  readonly log: readonly OperatorAction[];
}

/**
 * `pause <target> --reason "…"`: sets the switch (`setPause`, setter `operator`) and records
 * `{action: pause, by, at, reason}` in `operator-log/<switch id>`. Pausing a paused target keeps
 * its `since` and replaces the reason.
 * @throws OpsError when the reason is missing or the target is not watcher, proposer or a stage.
 */
export async function pauseTarget(
  deps: OrchestratorDeps,
  request: { readonly target: string; readonly by: string; readonly reason?: string | undefined },
): Promise<PauseMoveOutcome> {
  const target = targetOf(deps, request.target);
  const reason = request.reason?.trim();
  if (reason === undefined || reason === '')
    throw new OpsError(
      `pause ${pauseTargetName(target)}: --reason "…" is required (it is what the next person reads in status)`,
    );
  const at = deps.clock.now();
  const before = await readPause(deps.store, target);
  const stored = await setPause(deps.store, target, { reason, by: request.by, setter: 'operator', at });
  const from = before === undefined ? 'running' : 'paused';
  return recorded(deps, target, stored, {
    action: 'pause',
    by: request.by,
    at: at.toISOString(),
    reason,
    from,
    to: 'paused',
  });
}

/**
 * `resume <target>`: clears the switch (`clearPause`) and records `{action: resume, by, at}` (with
 * `--reason`, when given). Resuming a target that is not paused changes nothing and says so; it is
 * still recorded, so the log shows who looked.
 * @throws OpsError when the target is not watcher, proposer or a stage.
 */
export async function resumeTarget(
  deps: OrchestratorDeps,
  request: { readonly target: string; readonly by: string; readonly reason?: string | undefined },
): Promise<PauseMoveOutcome> {
  const target = targetOf(deps, request.target);
  const cleared = await clearPause(deps.store, target);
  const reason = request.reason?.trim();
  return recorded(deps, target, cleared, {
    action: 'resume',
    by: request.by,
    at: deps.clock.now().toISOString(),
    ...(reason === undefined || reason === '' ? {} : { reason }),
    from: cleared === undefined ? 'running' : 'paused',
    to: 'running',
  });
}

/** Every set switch, for `status` and the dashboard. */
export function readPauses(deps: Pick<OrchestratorDeps, 'store'>): Promise<PauseState[]> {
  return listPauses(deps.store);
}

/** The one-line answer of `pause` / `resume`, and the switch's recent log. */
export function formatPauseMove(outcome: PauseMoveOutcome): string {
  const head =
    outcome.action === 'pause'
      ? `paused ${outcome.target} (${outcome.switchId}) since ${outcome.switch?.since}, by ${outcome.by}: ${outcome.switch?.reason}`
      : outcome.switch === undefined
        ? `${outcome.target} was not paused; nothing changed (recorded, by ${outcome.by} at ${outcome.at})`
        : `resumed ${outcome.target}, paused since ${outcome.switch.since} by ${outcome.switch.by} (${outcome.switch.reason}); by ${outcome.by} at ${outcome.at}`;
  const log = formatTable(
    ['action', 'by', 'at', 'reason'],
    outcome.log.slice(-5).map((entry) => [entry.action, entry.by, entry.at, entry.reason ?? '']),
  );
  return `${head}\n${log}`;
}

async function recorded(
  deps: OrchestratorDeps,
  target: PauseTarget,
  state: PauseState | undefined,
  action: OperatorAction & { readonly action: 'pause' | 'resume' },
): Promise<PauseMoveOutcome> {
  const switchId = pauseId(target);
  await recordOperatorAction(deps.store, switchId, action);
  return {
    action: action.action,
    target: pauseTargetName(target),
    switchId,
    ...(state === undefined ? {} : { switch: state }),
    by: action.by,
    at: action.at,
    log: await readOperatorLog(deps.store, switchId),
  };
}

function targetOf(deps: OrchestratorDeps, text: string): PauseTarget {
  // InvalidInputError names the text and the allowed targets; the CLI prints it as it is.
  return parsePauseTarget(
    text,
    deps.config.stages.map((stage) => stage.name),
  );
}
