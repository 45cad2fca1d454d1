import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { jobDetail } from './batch-job-state-change.js';
import type { RunningStandIn } from './dynamodb-stand-in.js';
import { readRequestBody, sendJson } from './json-http.js';
import { closeServer, listenOnLoopback } from './listen-on-loopback.js';
import type { EvaluateOnExit, LocalJob } from './local-job.js';
import { type LocalJobRunner, UnknownLocalJobError } from './local-job-runner.js';
import type { ServiceCallCounter } from './service-call-counter.js';

type Body = Record<string, unknown>;

class ClientException extends Error {}

/**
 * Starts an AWS Batch stand-in on loopback answering the REST-JSON calls SDK v3 sends:
 * SubmitJob (`POST /v1/submitjob`), TerminateJob (`POST /v1/terminatejob`), DescribeJobs
 * (`POST /v1/describejobs`) and ListJobs (`POST /v1/listjobs`), backed by the local job runner.
 */
export async function startBatchStandIn(options: {
  runner: LocalJobRunner;
  port?: number;
  counter?: ServiceCallCounter;
}): Promise<RunningStandIn> {
  const runner = options.runner;
  const routes: Record<string, (body: Body) => unknown> = {
    '/v1/submitjob': (body) => {
      const overrides = (body.containerOverrides ?? {}) as Body;
      const retryStrategy = body.retryStrategy as
        | { attempts?: number; evaluateOnExit?: EvaluateOnExit[] }
        | undefined;
      const timeout = body.timeout as { attemptDurationSeconds?: number } | undefined;
      const job = runner.submit({
        jobName: requiredString(body, 'jobName'),
        jobQueue: requiredString(body, 'jobQueue'),
        jobDefinition: requiredString(body, 'jobDefinition'),
        parameters: (body.parameters ?? {}) as Record<string, string>,
        environment: (overrides.environment ?? []) as { name: string; value: string }[],
        ...(retryStrategy?.attempts === undefined ? {} : { attempts: retryStrategy.attempts }),
        ...(retryStrategy?.evaluateOnExit === undefined
          ? {}
          : { evaluateOnExit: retryStrategy.evaluateOnExit }),
        ...(timeout?.attemptDurationSeconds === undefined
          ? {}
          : { timeoutSeconds: timeout.attemptDurationSeconds }),
      });
      return { jobArn: job.jobArn, jobName: job.jobName, jobId: job.jobId };
    },
    '/v1/terminatejob': (body) => {
      const jobId = requiredString(body, 'jobId');
      const reason = requiredString(body, 'reason');
      try {
        runner.terminate(jobId, reason);
      } catch (error) {
        if (error instanceof UnknownLocalJobError) throw new ClientException(error.message);
        throw error;
      }
      return {};
    },
    '/v1/describejobs': (body) => {
      if (!Array.isArray(body.jobs)) throw new ClientException('jobs must be a list of job ids');
      return { jobs: runner.describe(body.jobs as string[]).map(jobDetail) };
    },
    '/v1/listjobs': (body) => {
      const filters = (body.filters ?? []) as { name: string; values: string[] }[];
      const jobName = filters.find((filter) => filter.name === 'JOB_NAME')?.values[0];
      const jobs = runner.list({
        ...(typeof body.jobQueue === 'string' ? { jobQueue: body.jobQueue } : {}),
        ...(typeof body.jobStatus === 'string' && jobName === undefined ? { status: body.jobStatus } : {}),
        ...(jobName === undefined ? {} : { jobName }),
      });
      return { jobSummaryList: jobs.map(jobSummary) };
    },
  };

  const server = createServer((request, response) => {
    void answer(request, response);
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0] ?? '';
    try {
      const route = routes[path];
      if (route === undefined || request.method !== 'POST') {
        throw new ClientException(`the local Batch stand-in does not implement ${request.method} ${path}`);
      }
      const text = await readRequestBody(request);
      sendJson(response, 200, route(text.length === 0 ? {} : (JSON.parse(text) as Body)));
    } catch (error) {
      const isClient = error instanceof ClientException;
      response.setHeader('x-amzn-errortype', isClient ? 'ClientException' : 'ServerException');
      sendJson(response, isClient ? 400 : 500, { message: (error as Error).message });
    }
  }

  options.counter?.observe('batch', server);
  const endpoint = await listenOnLoopback(server, options.port ?? 0);
  return { endpoint, close: () => closeServer(server) };
}

function jobSummary(job: LocalJob): Record<string, unknown> {
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    jobName: job.jobName,
    createdAt: job.createdAt,
    status: job.status,
    ...(job.statusReason === undefined ? {} : { statusReason: job.statusReason }),
    ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
    ...(job.stoppedAt === undefined ? {} : { stoppedAt: job.stoppedAt }),
    jobDefinition: job.jobDefinition,
  };
}

function requiredString(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) throw new ClientException(`${field} is required`);
  return value;
}
