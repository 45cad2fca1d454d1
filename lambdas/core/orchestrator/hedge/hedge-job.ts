import * as z from 'zod';
import type { RecordedFailureClass } from '../../executor/failure-class.js';

/** Which of a hedged attempt's two jobs: the attempt's own (`main`) or its hedge. */
export type JobSide = 'main' | 'hedge';

/** A failure of one job of a hedged attempt, kept while the other job runs on. */
export interface SideFailure {
  readonly side: JobSide;
  readonly error: string;
  readonly stderrTail?: string;
  readonly failureClass?: RecordedFailureClass;
}

/**
 * The hedge of a running attempt, on the group's job: claimed by one sweep with a version-conditional
 * write (so two sweeps never start two), then submitted under its own name and output key. It reads
 * the attempt's input.
 */
export interface HedgeJob {
  /** `<job>-h` (`hedgeArtifacts`). */
  readonly name: string;
  readonly outputKey: string;
  /** When the sweep claimed it, ISO time. */
  readonly claimedAt: string;
  /** Why it was started, e.g. `slow: running 700 s ≥ 2 × p90 300 s (bucket 32)`. */
  readonly reason: string;
  /** Set once the submit is recorded; a claim without it was interrupted and is submitted again. */
  readonly submission?: { readonly jobId: string; readonly submittedAt: string };
  /** One job failed while the other ran on: the attempt fails only if the other fails too. */
  readonly sideFailure?: SideFailure;
  /** On a succeeded group: whose result was published. */
  readonly winner?: JobSide;
}

const jobSide = z.enum(['main', 'hedge']);

/** A hedge as stored on the group item (`data.hedge`). */
export const storedHedgeSchema = z.object({
  name: z.string(),
  outputKey: z.string(),
  claimedAt: z.string(),
  reason: z.string(),
  submission: z.object({ jobId: z.string(), submittedAt: z.string() }).optional(),
  sideFailure: z
    .object({
      side: jobSide,
      error: z.string(),
      stderrTail: z.string().optional(),
      failureClass: z.enum(['infrastructure', 'configuration']).optional(),
    })
    .optional(),
  winner: jobSide.optional(),
});

/** A stored hedge back as its typed record (absent optional fields left out). */
export function hedgeOf(stored: z.output<typeof storedHedgeSchema>): HedgeJob {
  const { submission, sideFailure, winner, ...rest } = stored;
  return {
    ...rest,
    ...(submission === undefined ? {} : { submission }),
    ...(sideFailure === undefined
      ? {}
      : {
          sideFailure: {
            side: sideFailure.side,
            error: sideFailure.error,
            ...(sideFailure.stderrTail === undefined ? {} : { stderrTail: sideFailure.stderrTail }),
            ...(sideFailure.failureClass === undefined ? {} : { failureClass: sideFailure.failureClass }),
          },
        }),
    ...(winner === undefined ? {} : { winner }),
  };
}
