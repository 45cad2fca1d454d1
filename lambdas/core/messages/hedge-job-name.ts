/** What a hedge's job name adds to the name of the job it hedges (`range-100-130-a1` → `range-100-130-a1-h`). */
const HEDGE_SUFFIX = '-h';

/** The job name of the hedge of the job named `jobName`: unique per group and attempt as its own. */
export function hedgeJobName(jobName: string): string {
  return `${jobName}${HEDGE_SUFFIX}`;
}

/** Whether `jobName` names a hedge (an attempt's own job name ends with `-a<attempt>`, never `-h`). */
export function isHedgeJobName(jobName: string): boolean {
  return jobName.endsWith(HEDGE_SUFFIX);
}
