import { honourPause, type PauseReaderDeps } from './honour-pause.js';
import type { PauseState } from './pause-switch.js';

/**
 * The stages' pause switches as one run sees them (a collector run, a delivery batch, a proposer
 * run): each stage's switch is read at most once, on first use (`honourPause`), however many groups
 * of the stage the run tries to start. Build one per run; a long-lived one would never see a resume.
 */
export class StagePauses {
  private readonly reads = new Map<string, Promise<PauseState | undefined>>();

  constructor(private readonly deps: PauseReaderDeps) {}

  /** The stage's switch when set (its new jobs wait), else undefined. */
  of(stage: string): Promise<PauseState | undefined> {
    let read = this.reads.get(stage);
    if (read === undefined) {
      read = honourPause(this.deps, { kind: 'stage', stage });
      this.reads.set(stage, read);
    }
    return read;
  }
}
