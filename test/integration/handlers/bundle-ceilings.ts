import type { LambdaHandlerName } from '../../../scripts/bundle-lambdas.js';

/** The budget of every Lambda bundle (issue 14): what the handler needs fits in 1 MB. */
export const BUNDLE_BUDGET_BYTES = 1_000_000;

/**
 * Size ceiling of each handler's `index.mjs`, checked on the bundler script's output
 * (`bundle-lambdas.test.ts`) and on the CDK's deployed assets (`test/cdk/pipeline-stack-functions.test.ts`):
 * each bundle's size when last measured plus ~3 % (watcher 819,619, dispatcher 768,810, job-state
 * 666,504 bytes, with the join, hedging and the cost guard), so a dependency that grows a bundle is
 * noticed. The proposer, the largest (DynamoDB, S3, SSM, Batch, KMS and the transaction actions of
 * viem; 993,863 bytes with DynamoDB endpoint discovery's unused cache left out), is held to the budget itself.
 */
export const BUNDLE_CEILING_BYTES: Readonly<Record<LambdaHandlerName, number>> = {
  watcher: 845_000,
  dispatcher: 792_000,
  'job-state': 687_000,
  proposer: BUNDLE_BUDGET_BYTES,
};
