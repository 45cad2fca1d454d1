/**
 * Base class of every error the pipeline raises on purpose. Subclasses name the failure kind;
 * messages say what went wrong, where, and what to do.
 *
 * A subclass in code that ships minified (the Lambda and Batch job bundles: everything under
 * `lambdas/` and `batch-jobs/`) declares its name as a string, `override readonly name: string =
 * '<ClassName>'`: minifying renames classes, so `new.target.name` would log `ic` where an operator
 * looks for `ProposerNotApprovedError` (a test checks every such class).
 */
export class PipelineError extends Error {
  readonly details: string | undefined;

  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target === PipelineError ? 'PipelineError' : new.target.name;
    this.details = options.details;
  }
}

/** A pipeline config (file, object or environment) that does not validate. */
export class ConfigError extends PipelineError {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(`invalid pipeline config (${source}):\n  - ${issues.join('\n  - ')}`);
    this.issues = issues;
  }
}

/** An external input (message body, event, executor output) that does not match its schema. */
export class InvalidInputError extends PipelineError {
  override readonly name: string = 'InvalidInputError';
  readonly issues: readonly string[];

  constructor(what: string, issues: readonly string[], cause?: unknown) {
    super(`invalid ${what}: ${issues.join('; ')}`, { cause });
    this.issues = issues;
  }
}

/** A status change that the transition table does not allow. */
export class InvalidTransitionError extends PipelineError {
  override readonly name: string = 'InvalidTransitionError';
}

/** A message key that is not of the kind its consumer expects (`keyInterval`). */
export class InvalidKeyError extends PipelineError {
  override readonly name: string = 'InvalidKeyError';
  readonly key: string;

  constructor(key: string, message: string) {
    super(message);
    this.key = key;
  }
}

/** A blob another item refers to (a payload travelling by key) is not in the blob store. */
export class MissingBlobError extends PipelineError {
  override readonly name: string = 'MissingBlobError';
  readonly key: string;

  constructor(key: string, referredBy: string) {
    super(`blob ${key} referred to by ${referredBy} is missing from the blob store`);
    this.key = key;
  }
}
