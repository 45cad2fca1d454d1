import type { IncomingMessage, Server } from 'node:http';
import { CALLER_HEADER } from './caller-attribution.js';

/** Header the runtime's progress reader sends so its reads are not counted as pipeline calls. */
export const OBSERVER_HEADER = 'x-devnet-observer';

/** AWS services the local stand-ins answer. */
export type StandInService = 'dynamodb' | 's3' | 'sqs' | 'batch' | 'lambda';

/** Caller of requests that carry no `CALLER_HEADER`: the Batch job processes and the stand-ins' setup. */
export const UNATTRIBUTED_CALLER = 'jobs+setup';

/** Counts of API calls by service and by operation (`dynamodb:PutItem`, `s3:PUT`, ...). */
export interface ServiceCallCounts {
  readonly byService: Record<string, number>;
  readonly byOperation: Record<string, number>;
  /**
   * By calling function (`CALLER_HEADER`, set by `attributeCallsTo`; `UNATTRIBUTED_CALLER` without
   * it), then by operation.
   */
  readonly byCaller: Record<string, Record<string, number>>;
}

/**
 * Counts the AWS API requests each stand-in receives: every SDK call made by the handlers, the job
 * entrypoint or the runtime reaches one of these servers, so counting requests at the server is
 * counting SDK calls without touching the clients the handlers build.
 */
export class ServiceCallCounter {
  private readonly services = new Map<string, number>();
  private readonly operations = new Map<string, number>();
  private readonly callers = new Map<string, Map<string, number>>();

  /** Records one call, made by `caller`. */
  record(service: StandInService, operation: string, caller: string = UNATTRIBUTED_CALLER): void {
    this.services.set(service, (this.services.get(service) ?? 0) + 1);
    const key = `${service}:${operation}`;
    this.operations.set(key, (this.operations.get(key) ?? 0) + 1);
    const byOperation = this.callers.get(caller) ?? new Map<string, number>();
    byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
    this.callers.set(caller, byOperation);
  }

  /**
   * Listens to a stand-in's HTTP server and records each request it receives, by its caller
   * (`CALLER_HEADER`), except the runtime's own progress reads (marked with the `OBSERVER_HEADER`),
   * which are not pipeline calls.
   */
  observe(service: StandInService, server: Server): void {
    server.on('request', (request: IncomingMessage) => {
      if (request.headers[OBSERVER_HEADER] !== undefined) return;
      const caller = request.headers[CALLER_HEADER];
      this.record(service, operationOf(service, request), typeof caller === 'string' ? caller : undefined);
    });
  }

  /** A copy of the counts so far. */
  snapshot(): ServiceCallCounts {
    return {
      byService: Object.fromEntries(this.services),
      byOperation: Object.fromEntries(this.operations),
      byCaller: Object.fromEntries(
        [...this.callers].map(([caller, operations]) => [caller, Object.fromEntries(operations)]),
      ),
    };
  }
}

function operationOf(service: StandInService, request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  if (service === 'lambda') return 'Invoke';
  if (service === 'batch') return (request.url ?? '').replace(/^\/v1\//, '').split('?')[0] ?? 'unknown';
  if (service === 's3') {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const isObject = path.split('/').filter((part) => part.length > 0).length > 1;
    return `${request.method ?? 'GET'}${isObject ? 'Object' : 'Bucket'}`;
  }
  return request.method ?? 'unknown';
}
