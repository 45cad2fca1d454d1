/** One phase of the way from `npm start` to the first proposal, and when it was reached. */
export interface StartupMark {
  readonly phase: string;
  /** Epoch ms. */
  readonly atMs: number;
}

/**
 * When each phase of a local run's start-up was first reached (chains up, oracle deployed, stand-ins
 * up, handlers loaded, …), relative to an origin: what `npm run bench:lag -- --timings` prints. A
 * phase marked twice keeps its first time, so a loop may mark it on every pass.
 *
 * @example
 * const timings = new StartupTimings();
 * timings.mark('chains up');
 * timings.format(); // "chains up +1.2 s"
 */
export class StartupTimings {
  private readonly marks = new Map<string, number>();

  /** @param originMs epoch ms the phases are counted from (the run's start). */
  constructor(readonly originMs: number = Date.now()) {}

  /** Records `phase` at `atMs` (default: now) unless it was recorded before. */
  mark(phase: string, atMs: number = Date.now()): void {
    if (!this.marks.has(phase)) this.marks.set(phase, atMs);
  }

  /** The marks, earliest first. */
  entries(): StartupMark[] {
    return [...this.marks]
      .map(([phase, atMs]) => ({ phase, atMs }))
      .sort((a, b) => a.atMs - b.atMs || a.phase.localeCompare(b.phase));
  }

  /** One line per mark: `<phase> +<seconds since the origin> s`, earliest first. */
  format(): string {
    return this.entries()
      .map((mark) => `${mark.phase} +${((mark.atMs - this.originMs) / 1000).toFixed(1)} s`)
      .join('\n');
  }
}
