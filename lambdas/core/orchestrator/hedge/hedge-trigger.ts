import type { HedgeConfig } from '../../config/hedge-schema.js';

/** What the hedge trigger looks at for one running job. */
export interface StragglerView {
  /** p90 run seconds of the job's size bucket and how many durations it comes from. */
  readonly p90: number | undefined;
  readonly samples: number;
  readonly bucket: number;
  /** Seconds the job has been running (since its start, else its submission), when it runs. */
  readonly runningSeconds?: number;
  /** Seconds the job has waited to be placed (`RUNNABLE`), when it waits. */
  readonly runnableSeconds?: number;
}

/**
 * Why a job should be hedged, or undefined when it should not: never below `minSamples` observed
 * durations; a job running `afterP90Multiple` × p90 or longer (`slow: …`); a job waiting
 * `RUNNABLE` `runnableSeconds` or longer (`runnable: …`).
 *
 * @example hedgeReason({ afterP90Multiple: 2, minSamples: 5, maxShare: 0.1, queue: 'on-demand' },
 *   { p90: 300, samples: 8, bucket: 32, runningSeconds: 650 }) // 'slow: running 650 s ≥ 2 × p90 300 s (bucket 32, 8 samples)'
 */
export function hedgeReason(config: HedgeConfig, view: StragglerView): string | undefined {
  if (view.p90 === undefined || view.samples < config.minSamples) return undefined;
  const context = `bucket ${view.bucket}, ${view.samples} samples`;
  const slowAfter = config.afterP90Multiple * view.p90;
  if (view.runningSeconds !== undefined && view.runningSeconds >= slowAfter) {
    return `slow: running ${Math.round(view.runningSeconds)} s ≥ ${config.afterP90Multiple} × p90 ${Math.round(view.p90)} s (${context})`;
  }
  if (
    config.runnableSeconds !== undefined &&
    view.runnableSeconds !== undefined &&
    view.runnableSeconds >= config.runnableSeconds
  ) {
    return `runnable: waiting ${Math.round(view.runnableSeconds)} s ≥ runnableSeconds ${config.runnableSeconds} (${context})`;
  }
  return undefined;
}

/**
 * The earliest a job submitted `sinceSubmitSeconds` ago could be hedged: before it, the sweep asks
 * the runner nothing (a job runs or waits at most as long as it was submitted).
 */
export function mayNeedHedge(config: HedgeConfig, p90: number, sinceSubmitSeconds: number): boolean {
  const earliest = Math.min(
    config.afterP90Multiple * p90,
    config.runnableSeconds ?? Number.POSITIVE_INFINITY,
  );
  return sinceSubmitSeconds >= earliest;
}
