import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidInputError } from '../core/errors.js';
import { parseEnvelope } from '../core/messages/envelope.js';
import { DeliveryBatch } from '../core/orchestrator/dispatch-batch.js';
import type { OrchestratorDeps } from '../core/orchestrator/setup/orchestrator-deps.js';
import type { Logger } from '../core/ports/telemetry.js';
import { coldStartDispatcherRuntime, type DispatcherRuntime } from './dispatcher-root.js';
import { wrapLambdaHandler } from './lambda-middleware.js';

/**
 * Parses one SQS record as an envelope and records it in the batch, logging the outcome. A
 * malformed record or a failed recording is logged with the reason and the error rethrown, so the
 * batch processor reports it.
 */
async function recordSqsRecord(batch: DeliveryBatch, logger: Logger, record: SQSRecord): Promise<void> {
  try {
    const delivery = await batch.record(parseEnvelope(record.body));
    logger.info('message recorded', {
      sqsMessageId: record.messageId,
      messageId: delivery.messageId,
      recorded: delivery.recorded,
    });
  } catch (error) {
    const malformed = error instanceof InvalidInputError;
    logger.error(
      malformed ? 'malformed message: reported as a batch item failure' : 'message recording failed',
      {
        sqsMessageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        reason: (error as Error).message,
        ...(malformed ? { issues: error.issues } : { error }),
      },
    );
    throw error;
  }
}

/**
 * Dispatches the records of one SQS event as one batch (`DeliveryBatch`): every record is parsed
 * as an envelope and recorded (in parallel where the ids differ), then the collectors run once for
 * the batch and hand ready groups to their executors. A record that is malformed or whose
 * recording failed is logged with the reason and reported in `batchItemFailures`, so only it is
 * redelivered. When the collector run fails, every record of the batch is reported: their
 * redelivery records nothing new and runs the collectors again. A batch in which every record
 * failed is reported the same way, not thrown.
 * @param deps - the orchestrator's ports and config.
 * @param logger - receives one line per recorded or failed record and one per batch.
 * @param records - the records of one SQS event.
 * @returns the partial batch response naming the failed records, in event order.
 */
export async function dispatchSqsRecords(
  deps: OrchestratorDeps,
  logger: Logger,
  records: readonly SQSRecord[],
): Promise<SQSBatchResponse> {
  const batch = new DeliveryBatch(deps);
  // A processor per batch: outside Lambda, Powertools keeps a batch's state on the processor
  // instance, and the devnet and the benchmark dispatch several batches at once in one process.
  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(
    { Records: [...records] },
    (record: SQSRecord) => recordSqsRecord(batch, logger, record),
    processor,
    {
      // Recording is one conditional create per message; `DeliveryBatch` orders repeats of one id.
      processInParallel: true,
      // A full failure is a partial response naming every record: SQS redelivers each one and
      // redrives it to the DLQ after maxReceiveCount, where a thrown error would fail the invocation.
      throwOnFullBatchFailure: false,
    },
  );
  try {
    const { groups, expired } = await batch.collect();
    logger.info('batch dispatched', {
      records: records.length,
      groups: groups.length,
      expired: expired.length,
    });
  } catch (error) {
    logger.error('collector run failed: every record of the batch is reported for redelivery', {
      records: records.length,
      reason: (error as Error).message,
      error,
    });
    return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
  }
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
