import type { LambdaHandlerName } from '../../../scripts/bundle-lambdas.js';

/** The budget of every Lambda bundle (issue 14): what the handler needs fits in 1 MB. */
export const BUNDLE_BUDGET_BYTES = 1_000_000;

/**
 * Size ceiling of each handler's `index.mjs`, checked on the bundler script's output
 * (`bundle-lambdas.test.ts`) and on the CDK's deployed assets (`test/cdk/pipeline-stack-functions.test.ts`).
 * The proposer keeps a regression guard a little above its size (1.113 MB) until it meets the
 * budget: it carries the SDK's default credential chain (~110 kB for a provider Lambda never
 * reaches past the environment), S3, SSM, Batch, KMS and the transaction actions of viem. Join
 * stages (issue 13: the stage union, the join checks and the join hand-over, which the proposer
 * reaches through the config parse and the orchestrator) took it to 1.1266 MB.
 */
export const BUNDLE_CEILING_BYTES: Readonly<Record<LambdaHandlerName, number>> = {
  watcher: BUNDLE_BUDGET_BYTES,
  dispatcher: BUNDLE_BUDGET_BYTES,
  'job-state': BUNDLE_BUDGET_BYTES,
  proposer: 1_128_000,
};
