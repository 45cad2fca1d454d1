import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidInputError } from '../core/errors.js';
import { parseEnvelope } from '../core/messages/envelope.js';
import { dispatchMessage } from '../core/orchestrator/dispatch-message.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { Logger } from '../core/ports/telemetry.js';
import { coldStartDispatcherRuntime, type DispatcherRuntime } from './dispatcher-root.js';
import { wrapLambdaHandler } from './lambda-middleware.js';

/**
 * Parses one SQS record as an envelope and dispatches it, logging the outcome. A malformed or failed
 * record is logged with the reason and the error rethrown, so the batch processor reports it.
 */
async function dispatchSqsRecord(deps: OrchestratorDeps, logger: Logger, record: SQSRecord): Promise<void> {
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
    throw error;
  }
}

/**
 * Parses each SQS record as an envelope and dispatches it (recorded once, collectors run, ready
 * groups submitted), one record after the other in event order. A record that is malformed or fails
 * is logged with the reason and reported in `batchItemFailures`, so only it is redelivered; the
 * others are deleted. A batch in which every record failed is reported the same way, not thrown.
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
  // A processor per batch: outside Lambda, Powertools keeps a batch's state on the processor
  // instance, and the devnet and the benchmark dispatch several batches at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(
    { Records: [...records] },
    (record: SQSRecord) => dispatchSqsRecord(deps, logger, record),
    processor,
    {
      // Sequential, in event order: each record's dispatch sees the state the previous one left
      // (parallel dispatches of neighbouring blocks would race for the same collector group).
      processInParallel: false,
      // A full failure is a partial response naming every record: SQS redelivers each one and
      // redrives it to the DLQ after maxReceiveCount, where a thrown error would fail the invocation.
      throwOnFullBatchFailure: false,
    },
  );
  // A copy: without failures Powertools returns a response object it shares between batches.
  return { batchItemFailures: response.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
}

/**
 * The dispatcher handler (SQS event source with `ReportBatchItemFailures`): runs
 * `dispatchSqsRecords` on the event's records; failed records reach the DLQ after `maxReceiveCount`.
 */
export function createDispatcherHandler(runtime: () => DispatcherRuntime) {
  return wrapLambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { logger } = runtime();
    return dispatchSqsRecords(runtime().orchestrator(), logger, event.Records);
  });
}

export const handler = createDispatcherHandler(coldStartDispatcherRuntime);
