import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { InvalidInputError } from '../core/errors.js';
import { parseEnvelope } from '../core/messages/envelope.js';
import { dispatchMessage } from '../core/orchestrator/dispatch-message.js';
import { coldStartRuntime, type Runtime } from './composition-root.js';
import { wrapLambdaHandler } from './lambda-middleware.js';

/**
 * The dispatcher handler (SQS event source with `ReportBatchItemFailures`): each record is parsed
 * as an envelope and dispatched (recorded once, collectors run, ready groups submitted). A record
 * that is malformed or fails is logged with the reason and reported in `batchItemFailures`, so only
 * it is redelivered (and reaches the DLQ after `maxReceiveCount`); the others are deleted.
 */
export function createDispatcherHandler(runtime: () => Runtime) {
  return wrapLambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { logger } = runtime();
    const deps = runtime().orchestrator();
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      const receiveCount = record.attributes?.ApproximateReceiveCount;
      try {
        const envelope = parseEnvelope(record.body);
        const outcome = await dispatchMessage(deps, envelope);
        logger.info('message dispatched', {
          sqsMessageId: record.messageId,
          messageId: outcome.messageId,
          recorded: outcome.recorded,
          groups: outcome.groups.length,
        });
      } catch (error) {
        const malformed = error instanceof InvalidInputError;
        logger.error(
          malformed ? 'malformed message: reported as a batch item failure' : 'message dispatch failed',
          {
            sqsMessageId: record.messageId,
            receiveCount,
            reason: (error as Error).message,
            ...(malformed ? { issues: error.issues } : { error }),
          },
        );
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}

export const handler = createDispatcherHandler(coldStartRuntime);
