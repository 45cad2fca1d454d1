import { PipelineError } from '../../lambdas/core/errors.js';

/**
 * An operator command that cannot go on (an unknown group, a move the transition table forbids, an
 * overlapping range, a local run that is not up): the message names the item and says what to do.
 */
export class OpsError extends PipelineError {}
