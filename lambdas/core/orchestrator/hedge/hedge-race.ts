import type { HedgeJob, JobSide, SideFailure } from './hedge-job.js';

/**
 * Which job of the attempt a completion is for: the hedge when it carries the hedge's name, else
 * the attempt's own job (also for an attempt that was never hedged).
 */
export function sideOf(hedge: HedgeJob | undefined, jobName: string): JobSide {
  return hedge !== undefined && jobName === hedge.name ? 'hedge' : 'main';
}

/** The other job of a hedged attempt. */
export function otherSide(side: JobSide): JobSide {
  return side === 'main' ? 'hedge' : 'main';
}

/**
 * What a failed job of a hedged attempt means. `wait`: the other job has not failed, so the
 * attempt waits for it (its result may still win) and only this failure is kept; `duplicate`: this job's failure was already kept; `fail`: both jobs failed, so the attempt
 * fails with `failure`. An attempt without a hedge fails at once (`fail` with this failure).
 *
 * Both failed: the attempt's failure names both errors; it is an infrastructure failure only when
 * neither job got a fair run (both `infrastructure`), else it counts toward `executor.attempts`
 * as a prover failure (a program that refused its input refuses it on any instance).
 */
export function failureOfHedgedAttempt(
  hedge: HedgeJob | undefined,
  failure: SideFailure,
):
  | { readonly kind: 'wait' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'fail'; readonly failure: Omit<SideFailure, 'side'> } {
  const { side: _side, ...own } = failure;
  if (hedge === undefined) return { kind: 'fail', failure: own };
  const earlier = hedge.sideFailure;
  if (earlier === undefined) return { kind: 'wait' };
  if (earlier.side === failure.side) return { kind: 'duplicate' };
  const [main, second] = earlier.side === 'main' ? [earlier, failure] : [failure, earlier];
  const stderrTail = failure.stderrTail ?? earlier.stderrTail;
  return {
    kind: 'fail',
    failure: {
      error: `both jobs of the hedged attempt failed: main: ${main.error}; hedge: ${second.error}`,
      ...(stderrTail === undefined ? {} : { stderrTail }),
      // Both jobs failing the same way is that class; otherwise one got a fair run: a prover failure.
      ...(earlier.failureClass !== undefined && earlier.failureClass === failure.failureClass
        ? { failureClass: earlier.failureClass }
        : {}),
    },
  };
}
