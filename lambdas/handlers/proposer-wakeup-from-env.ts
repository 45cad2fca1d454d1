import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaProposerWakeup } from '../adapters/aws/lambda-proposer-wakeup.js';
import { HANDLER_ENV } from '../core/config/environment-names.js';
import { noProposerWakeup, type ProposerWakeup } from '../core/ports/proposer-wakeup.js';

/**
 * The dispatcher's proposer wake-up: an asynchronous Lambda Invoke of `PROPOSER_FUNCTION_NAME`
 * (set by the CDK app; locally it names the scheduler's proposer, reached through
 * `AWS_ENDPOINT_URL_LAMBDA`), or no wake-up at all when the variable is absent or empty.
 */
export function proposerWakeupFromEnv(env: NodeJS.ProcessEnv): ProposerWakeup {
  const functionName = env[HANDLER_ENV.proposerFunctionName];
  if (functionName === undefined || functionName === '') return noProposerWakeup;
  return new LambdaProposerWakeup({ client: new LambdaClient({}), functionName });
}
