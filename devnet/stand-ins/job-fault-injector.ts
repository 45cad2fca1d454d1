import { globMatches } from './retry-strategy.js';

/** Injected job failures: the first `times` runs of jobs whose name matches `pattern` fail. */
export interface JobFailureFault {
  /** A job name, exact, or a prefix ending with `*` (`globMatches`). */
  readonly pattern: string;
  /** Runs to fail, counted over every matching run in start order (Batch retries and later jobs alike). */
  readonly times: number;
}

export interface LocalJobRunnerFaults {
  /**
   * For each fault, the first `times` runs of jobs that match its pattern fail with exit code 1
   * (`times: 1` is `--fault-fail-job-once`: the first run of the first matching job).
   */
  readonly failJobs?: readonly JobFailureFault[];
}

/** Decides which job runs fail by injection (`--fault-fail-job-once`, `--fault-fail-job-times`). */
export class JobFaultInjector {
  /** Failures injected so far, per fault (by its index in `faults`). */
  private readonly injected = new Map<number, number>();

  constructor(private readonly faults: readonly JobFailureFault[]) {}

  /** Whether this run of `jobName` is made to fail: undefined, or which failure of its fault it is ("once", "2 of 3"). */
  injectFailure(jobName: string): string | undefined {
    const index = this.faults.findIndex(
      (fault, at) => (this.injected.get(at) ?? 0) < fault.times && globMatches(fault.pattern, jobName),
    );
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    const count = (this.injected.get(index) ?? 0) + 1;
    this.injected.set(index, count);
    return fault.times === 1 ? 'once' : `${count} of ${fault.times}`;
  }
}
