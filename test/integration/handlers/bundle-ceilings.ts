import type { LambdaHandlerName } from '../../../scripts/bundle-lambdas.js';

/** The budget of every Lambda bundle (issue 14): what the handler needs fits in 1 MB. */
export const BUNDLE_BUDGET_BYTES = 1_000_000;

/**
 * Size ceiling of each handler's `index.mjs`, checked on the bundler script's output
 * (`bundle-lambdas.test.ts`) and on the CDK's deployed assets (`test/cdk/pipeline-stack-functions.test.ts`):
 * each bundle's size when last measured plus ~3 %, so a dependency that grows a bundle is noticed.
 * The proposer, the largest (DynamoDB, S3, SSM, Batch, KMS and the transaction actions of viem;
 * 983,811 bytes), is held to the budget itself.
 */
export const BUNDLE_CEILING_BYTES: Readonly<Record<LambdaHandlerName, number>> = {
  watcher: 820_000,
  dispatcher: 768_000,
  'job-state': 672_000,
  proposer: BUNDLE_BUDGET_BYTES,
};
