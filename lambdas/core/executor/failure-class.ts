/**
 * Why a job attempt failed, as the failure policy sees it. `prover`: the program refused its input
 * or the prover failed after running — counted toward the stage's attempts, then bisect or abandon.
 * `infrastructure`: the attempt never got a fair run (image pull, container start, host reclaimed,
 * out of memory, staging to or from S3, RPC outages inside the job) — retried apart, never bisected.
 */
export type FailureClass = 'prover' | 'infrastructure';

/**
 * Exit code of a prover binary or the job entrypoint for an infrastructure failure (`EX_TEMPFAIL`
 * of sysexits.h: "try again later").
 */
export const INFRASTRUCTURE_EXIT_CODE = 75;
