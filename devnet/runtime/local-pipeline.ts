import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublicClient, http, type PublicClient } from 'viem';
import { rollupConfigHashOf } from '../../lambdas/core/config/rollup-config-hash.js';
import type { PipelineConfig } from '../../lambdas/core/config/schema.js';
import { attributeCallsTo } from '../stand-ins/caller-attribution.js';
import { writeJsonSnapshot } from '../stand-ins/json-snapshot.js';
import { lambdaContext } from '../stand-ins/lambda-context.js';
import { startLambdaStandIn } from '../stand-ins/lambda-invoke-server.js';
import type { LocalJobRunnerStats } from '../stand-ins/local-job-runner.js';
import { type RunningScheduler, startLocalScheduler } from '../stand-ins/local-scheduler.js';
import type { ServiceCallCounts } from '../stand-ins/service-call-counter.js';
import { type RunningEventSource, startSqsEventSource } from '../stand-ins/sqs-event-source.js';
import { loadDevnetConfig } from './devnet-config.js';
import type { DevnetManifest } from './devnet-manifest.js';
import { type LocalAws, type LocalAwsFaults, startLocalAws } from './local-aws.js';
import { localFunctionTimeouts } from './local-function-timeouts.js';
import { readOracleHead, readProposalTransactions } from './oracle-proposals.js';
import {
  handlerTelemetryEnvironment,
  importPipelineHandlers,
  type PipelineHandlers,
} from './pipeline-handlers.js';
import {
  createProgressReader,
  formatProgress,
  type PipelineProgress,
  type ProgressReader,
} from './pipeline-progress.js';
import { writeResolvedPipelineConfig } from './resolved-pipeline-config.js';

export interface LocalPipelineOptions {
  /** The pipeline config file (e.g. config/devnet.json). */
  readonly configPath: string;
  readonly stateDirectory: string;
  readonly repoRoot: string;
  /** The running chains. */
  readonly manifest: DevnetManifest;
  readonly faults?: LocalAwsFaults;
  /** Where progress lines go. */
  readonly log: (line: string) => void;
  /** Seconds between progress lines; 0 turns them off. @default 3 */
  readonly progressEverySeconds?: number;
  /** Show the handlers' INFO logs and EMF metrics (otherwise warnings and errors only). */
  readonly verbose?: boolean;
  /**
   * The dispatcher wakes the proposer (an asynchronous Invoke the Lambda stand-in turns into a
   * scheduler wake) when a group awaits a checkpoint or a proof is recorded; false leaves the
   * proposer to its schedule alone (the benchmark's "before"). @default true
   */
  readonly proposerWakeups?: boolean;
  /**
   * Told each start-up phase as it is reached, and the end of each function's first invocation
   * (`npm run bench:lag -- --timings`).
   */
  readonly onPhase?: (phase: string) => void;
  /**
   * The handlers, imported ahead (`preloadPipelineHandlers`, while the chains start) with the same
   * `verbose`; @default imported here, once the environment is in place
   */
  readonly handlers?: Promise<PipelineHandlers>;
}

/** Counters for tests and the benchmark (`<state>/stats.json` holds the same). */
export interface LocalPipelineStats {
  readonly startedAt: number;
  readonly calls: ServiceCallCounts;
  readonly jobs: LocalJobRunnerStats;
  readonly invocations: Record<string, number>;
}

export interface LocalPipeline {
  readonly config: PipelineConfig;
  readonly aws: LocalAws;
  progress(): Promise<PipelineProgress>;
  stats(): LocalPipelineStats;
  /** Resolves once the oracle holds `count` proposals (outputs after the starting one). */
  waitForProposals(count: number, signal?: AbortSignal): Promise<void>;
  /** Stops schedules, pollers and jobs, then the stand-ins; writes the final stats. */
  stop(): Promise<void>;
}

/**
 * Runs the pipeline on one machine against running chains: the local AWS stand-ins, the handler
 * environment contract, and the Lambda handler modules driven like on AWS: watcher and proposer by
 * the scheduler, the dispatcher by an SQS event source per topic queue, job-state by the Batch
 * stand-in's "Batch Job State Change" events. One per process: the handlers build their
 * dependencies from `process.env` once.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const { stateDirectory, manifest, log, onPhase } = options;
  const startedAt = Date.now();
  const configPath = join(stateDirectory, 'pipeline.json');
  const { rollupConfigPath } = writeResolvedPipelineConfig({
    configPath: options.configPath,
    manifest,
    outputPath: configPath,
  });
  const config = loadDevnetConfig(configPath);
  const rollupConfigHash = await rollupConfigHashOf(rollupConfigPath);
  const timeouts = localFunctionTimeouts(config);

  let onJobStateChange: (event: Parameters<PipelineHandlersJobState>[0]) => Promise<void> = async () => {
    throw new Error('job-state handler not loaded yet');
  };
  let scheduler: RunningScheduler | undefined;
  const invocations: Record<string, number> = {};
  const invokedOnce = new Set<string>();
  /** Runs one invocation of function `name`: counted, and its AWS calls attributed to `name`. */
  const invoke = async <T>(name: string, invocation: () => Promise<T>): Promise<T> => {
    invocations[name] = (invocations[name] ?? 0) + 1;
    const result = await attributeCallsTo(name, invocation);
    if (!invokedOnce.has(name)) {
      invokedOnce.add(name);
      onPhase?.(`first ${name} invocation done`);
    }
    return result;
  };
  const aws = await startLocalAws({
    config,
    stateDirectory,
    repoRoot: options.repoRoot,
    jobEnvironment: {
      L1_RPC_URLS: manifest.l1.rpcUrl,
      L2_RPC_URLS: manifest.l2.rpcUrl,
      ROLLUP_CONFIG_PATH: rollupConfigPath,
      ZKVM_BACKEND: 'mock',
    },
    onJobStateChange: (event) => onJobStateChange(event),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    onLog: log,
  });
  onPhase?.('stand-ins and job bundles ready');

  // Started before the handlers: an Invoke that arrives before the scheduler does is dropped, and
  // the schedule's first tick runs the proposer anyway.
  const lambda = await startLambdaStandIn({
    functions: ['proposer'],
    onInvoke: (name) => scheduler?.wake(name),
    counter: aws.counter,
  }).catch(async (error: unknown) => {
    await aws.close();
    throw error;
  });
  const closeAws = async (): Promise<void> => {
    await lambda.close();
    await aws.close();
  };
  if (options.proposerWakeups === false) delete process.env.PROPOSER_FUNCTION_NAME;
  Object.assign(process.env, aws.environment, {
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    ...(options.proposerWakeups === false ? {} : { PROPOSER_FUNCTION_NAME: 'proposer' }),
    PIPELINE_CONFIG_PATH: configPath,
    ROLLUP_CONFIG_HASH: rollupConfigHash,
    ...handlerTelemetryEnvironment(config.name, options.verbose === true),
  });

  const sources: RunningEventSource[] = [];
  let progressTimer: NodeJS.Timeout | undefined;
  let reader: ProgressReader | undefined;
  const l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) }) as PublicClient;
  const l2 = createPublicClient({ transport: http(manifest.l2.rpcUrl) }) as PublicClient;

  const stats = (): LocalPipelineStats => ({
    startedAt,
    calls: aws.counter.snapshot(),
    jobs: aws.jobRunner.stats(),
    invocations: { ...invocations },
  });
  const writeStats = (): void => writeJsonSnapshot(join(stateDirectory, 'stats.json'), stats(), 2);

  try {
    const handlers = await (options.handlers ?? importPipelineHandlers(options.repoRoot));
    onPhase?.('handlers loaded');
    onJobStateChange = async (event) => {
      await invoke('job-state', () =>
        handlers.jobState(event, lambdaContext('job-state', timeouts.jobState)),
      );
    };
    aws.startJobs();
    for (const [topic, queueName] of Object.entries(aws.queueNames)) {
      sources.push(
        startSqsEventSource({
          queues: aws.queues,
          queueName,
          functionName: `dispatcher-${topic}`,
          timeoutSeconds: timeouts.dispatcher,
          handler: (event, context) => invoke('dispatcher', () => handlers.dispatcher(event, context)),
          onInvocationError: (error) =>
            log(`dispatcher (${topic}) invocation failed: ${(error as Error).message}`),
        }),
      );
    }
    scheduler = startLocalScheduler(
      [
        {
          name: 'watcher',
          everySeconds: config.watcher.schedule.everySeconds,
          timeoutSeconds: timeouts.watcher,
          handler: (event, context) => invoke('watcher', () => handlers.watcher(event, context)),
        },
        {
          name: 'proposer',
          everySeconds: config.proposer.schedule.everySeconds,
          timeoutSeconds: timeouts.proposer,
          handler: (event, context) => invoke('proposer', () => handlers.proposer(event, context)),
        },
      ],
      { onError: (target, error) => log(`${target} run failed: ${(error as Error).message}`) },
    );
    onPhase?.('schedules and event sources running');

    reader = createProgressReader({
      config,
      dynamodbEndpoint: aws.endpoints.dynamodb,
      tableName: aws.environment.STATE_TABLE_NAME as string,
      l1,
      l2,
      oracle: manifest.contracts.l2OutputOracle,
    });
    const progressEverySeconds = options.progressEverySeconds ?? 3;
    if (progressEverySeconds > 0) {
      let proposalsFrom = 0n;
      let reporting = false;
      progressTimer = setInterval(() => {
        if (reporting) return;
        reporting = true;
        void (async () => {
          try {
            const l1Head = await l1.getBlockNumber({ cacheTime: 0 });
            if (l1Head >= proposalsFrom) {
              for (const tx of await readProposalTransactions(
                l1,
                manifest.contracts.l2OutputOracle,
                proposalsFrom,
                l1Head,
              )) {
                log(
                  `proposal #${tx.outputIndex}: L2 block ${tx.l2BlockNumber} in L1 block ${tx.l1BlockNumber}, tx ${tx.txHash}`,
                );
              }
              proposalsFrom = l1Head + 1n;
            }
            log(formatProgress(await (reader as ProgressReader).read()));
            writeStats();
          } catch (error) {
            log(`progress unavailable: ${(error as Error).message}`);
          } finally {
            reporting = false;
          }
        })();
      }, progressEverySeconds * 1000);
    }
  } catch (error) {
    await closeAws();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    config,
    aws,
    progress: () => (reader as ProgressReader).read(),
    stats,
    waitForProposals: async (target, signal) => {
      while (signal?.aborted !== true) {
        const head = await readOracleHead(l1, manifest.contracts.l2OutputOracle).catch(() => undefined);
        if (head !== undefined && head.proposals >= BigInt(target)) return;
        await sleep(500);
      }
    },
    stop: () => {
      stopping ??= (async () => {
        if (progressTimer !== undefined) clearInterval(progressTimer);
        await scheduler?.stop();
        await Promise.all(sources.map((source) => source.stop()));
        writeStats();
        await closeAws();
        reader?.close();
      })();
      return stopping;
    },
  };
}

type PipelineHandlersJobState = PipelineHandlers['jobState'];
