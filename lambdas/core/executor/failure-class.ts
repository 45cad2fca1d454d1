/**
 * Why a job attempt failed, as the failure policy sees it. `prover`: the program refused its input
 * or the prover failed after running — counted toward the stage's attempts, then bisect or abandon.
 * `infrastructure`: the attempt never got a fair run (image pull, container start, host reclaimed,
 * out of memory, staging to or from S3, RPC outages inside the job) — retried apart, never bisected.
 * `configuration`: no attempt can work until a person changes the stage or its image (the prover
 * command is not on the job's PATH) — the group is abandoned at once, naming the cause.
 */
export type FailureClass = 'prover' | 'infrastructure' | 'configuration';

/** The failure classes a group records (a prover failure is recorded as no class). */
export type RecordedFailureClass = Exclude<FailureClass, 'prover'>;

/**
 * Exit code of a prover binary or the job entrypoint for an infrastructure failure (`EX_TEMPFAIL`
 * of sysexits.h: "try again later").
 */
export const INFRASTRUCTURE_EXIT_CODE = 75;

/**
 * Exit code of the job entrypoint for a configuration error (`EX_CONFIG` of sysexits.h): the
 * prover command could not be found or executed.
 */
export const CONFIGURATION_EXIT_CODE = 78;
