import type { PipelineConfig } from '../../config/schema.js';
import { StagePauses } from '../../control/stage-pauses.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { Clock } from '../../ports/clock.js';
import type { JobRunner } from '../../ports/job-runner.js';
import type { MessageBus } from '../../ports/message-bus.js';
import type { ProposerWakeup } from '../../ports/proposer-wakeup.js';
import type { StateStore } from '../../ports/state-store.js';
import type { Logger, Metrics } from '../../ports/telemetry.js';
import type { ProgramPlugins } from './program-plugin.js';

/**
 * Everything the orchestrator needs, gathered once by the composition root (no DI container).
 * `programs` are the stages' programs (`programPlugins` in `lambdas/core/programs/`).
 */
export interface OrchestratorDeps {
  readonly config: PipelineConfig;
  readonly store: StateStore;
  readonly bus: MessageBus;
  readonly blobs: BlobStore;
  readonly jobs: JobRunner;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly programs: ProgramPlugins;
  /**
   * Where every Sequential cursor starts: the L2 block the oracle was initialised with
   * (`chains.l2.startBlock`), so the first group of each stage starts there.
   */
  readonly origin: bigint;
  /**
   * Asks for a proposer run when a group starts awaiting its L1 checkpoint or a proof for the
   * proposer is recorded. @default noProposerWakeup (the proposer runs on its schedule only)
   */
  readonly proposerWakeup?: ProposerWakeup;
  /**
   * The stages' pause switches as this run reads them (once per stage per run): set per run by
   * `runCollectors` and the proposer gateway (`withRunPauses`), never by the composition root, whose
   * deps outlive a resume. @default each start reads the switch itself
   */
  readonly stagePauses?: StagePauses;
}

/** `deps` with a fresh per-run view of the stages' pause switches (see `stagePauses`). */
export function withRunPauses(deps: OrchestratorDeps): OrchestratorDeps {
  return { ...deps, stagePauses: new StagePauses(deps) };
}
