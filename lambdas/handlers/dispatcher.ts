import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidInputError } from '../core/errors.js';
import { parseEnvelope } from '../core/messages/envelope.js';
import { dispatchMessage } from '../core/orchestrator/dispatch-message.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { Logger } from '../core/ports/telemetry.js';
import { coldStartRuntime, type Runtime } from './composition-root.js';
import { wrapLambdaHandler } from './lambda-middleware.js';

/**
 * Parses each SQS record as an envelope and dispatches it (recorded once, collectors run, ready
 * groups submitted). A record that is malformed or fails is logged with the reason and reported in
 * `batchItemFailures`, so only it is redelivered; the others are deleted.
 * @param deps - the orchestrator's ports and config.
 * @param logger - receives one line per dispatched or failed record.
 * @param records - the records of one SQS event.
 * @returns the partial batch response naming the failed records.
 */
export async function dispatchSqsRecords(
  deps: OrchestratorDeps,
  logger: Logger,
  records: readonly SQSRecord[],
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of records) {
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
}

/**
 * The dispatcher handler (SQS event source with `ReportBatchItemFailures`): runs
 * `dispatchSqsRecords` on the event's records; failed records reach the DLQ after `maxReceiveCount`.
 */
export function createDispatcherHandler(runtime: () => Runtime) {
  return wrapLambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { logger } = runtime();
    return dispatchSqsRecords(runtime().orchestrator(), logger, event.Records);
  });
}

export const handler = createDispatcherHandler(coldStartRuntime);
