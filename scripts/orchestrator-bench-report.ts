import type { BenchStore } from './orchestrator-bench-ports.js';
import type { BenchBlocks, GroupCheck } from './orchestrator-group-check.js';
import type { CallCounts } from './sdk-call-counts.js';

/**
 * The blocks run through before the clock starts (`--warm-up`): the first calls load modules, build
 * the SDK's handler chains and resolve endpoints and credentials, a one-off cost a long-running
 * Lambda does not pay per block.
 */
export interface BenchWarmUp {
  readonly blocks: number;
  /** First publish until the warm-up's blocks were aggregated and the queues drained. */
  readonly wallSeconds: number;
}

/** What one orchestrator benchmark run measured. */
export interface OrchestratorBenchFigures {
  readonly configPath: string;
  /** `memory`: the in-memory ports (the orchestrator's own ceiling), not the stand-ins. */
  readonly store: BenchStore;
  /** The timed blocks (after the warm-up's). */
  readonly blocks: BenchBlocks;
  /** The timed blocks' first publish until every block is in a succeeded aggregate group. */
  readonly wallSeconds: number;
  /** Absent: no warm-up, the clock started with the first block. */
  readonly warmUp?: BenchWarmUp;
  /**
   * CPU seconds of the whole process over the same span (user + system; the stand-ins run in it),
   * a figure a busy shared machine disturbs less than the wall clock.
   */
  readonly cpuSeconds: number;
  /** CPU seconds of the storage stand-ins' own process over the span (`--storage-stand-ins child-process`). */
  readonly storageStandInsCpuSeconds?: number;
  /** Calls made while the clock ran (the warm-up's are not in them). */
  readonly calls: CallCounts;
  readonly sanity: GroupCheck;
  readonly jobsSubmitted: number;
  /** Proposer wake-ups the dispatches sent while the clock ran (`BenchProposer`). */
  readonly proposerWakeups: number;
  readonly dispatchFailures: number;
  readonly jobCompletionErrors: number;
}

/** AWS API calls per L2 block by service, as `--json` prints them. */
export interface CallsPerBlock {
  readonly total: number;
  readonly dynamodb: number;
  readonly sqs: number;
  readonly s3: number;
  /** Always 0 here: the instant prover takes the jobs, no Batch API is called (see `jobsSubmittedPerBlock`). */
  readonly batch: number;
}

/**
 * Milliseconds per counted AWS call: says whether the number of calls or their cost limits the
 * figure (blocks per second = 1000 / (ms per call × calls per block) while one chain of calls runs).
 */
export interface MsPerAwsCall {
  /** The run's wall time per call. */
  readonly wall: number;
  /** This process's CPU per call: orchestrator, SDK, HTTP and the stand-ins that run in it. */
  readonly cpu: number;
  /** The storage stand-ins' own process's CPU per call; null when they run in this process. */
  readonly storageStandInsCpu: number | null;
}

/** The `--json` document: one object, the fields first. */
export interface OrchestratorBenchJson {
  /** The timed blocks per wall second, after the warm-up (see `warmUp`). */
  readonly blocksPerSecond: number;
  /** The warm-up before the clock started, or null when there was none (`--warm-up 0`). */
  readonly warmUp: {
    readonly blocks: number;
    readonly wallSeconds: number;
    readonly blocksPerSecond: number;
    /** Every block per wall second, the warm-up's first calls included. */
    readonly blocksPerSecondIncludingWarmUp: number;
  } | null;
  readonly awsCallsPerBlock: CallsPerBlock;
  readonly byCommand: Readonly<Record<string, number>>;
  readonly msPerAwsCall: MsPerAwsCall;
  /** What the calls went to: `stand-ins` (the benchmark's figure) or `memory` (the orchestrator's own ceiling). */
  readonly store: BenchStore;
  readonly blocks: number;
  readonly wallSeconds: number;
  /** Blocks per CPU second of the process (orchestrator, SDK and stand-ins together). */
  readonly blocksPerCpuSecond: number;
  /** Jobs the orchestrator submitted per block; on AWS each is a ListJobs and a SubmitJob call. */
  readonly jobsSubmittedPerBlock: number;
  /** Proposer wake-ups per block; on AWS each is a Lambda `Invoke` (asynchronous), not in `awsCallsPerBlock`. */
  readonly proposerWakeupsPerBlock: number;
  readonly dispatchFailures: number;
  readonly jobCompletionErrors: number;
  readonly sanity: { readonly ok: boolean; readonly description: string };
}

/** SDK client name → the service field of `awsCallsPerBlock`. */
const SERVICE_FIELD: Readonly<Record<string, keyof Omit<CallsPerBlock, 'total'>>> = {
  DynamoDBClient: 'dynamodb',
  SQSClient: 'sqs',
  S3Client: 's3',
  BatchClient: 'batch',
};

/** The benchmark's `--json` document (figures per L2 block, rounded to 2 decimals). */
export function orchestratorBenchJson(figures: OrchestratorBenchFigures): OrchestratorBenchJson {
  const blocks = Number(figures.blocks.endBlock - figures.blocks.startBlock);
  const perBlock = (count: number): number => round2(count / blocks);
  const byService = { dynamodb: 0, sqs: 0, s3: 0, batch: 0 };
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [client, commands] of Object.entries(figures.calls)) {
    const field = SERVICE_FIELD[client];
    if (field === undefined) throw new Error(`bench call counts: unknown SDK client "${client}"`);
    for (const [command, count] of Object.entries(commands)) {
      byService[field] += count;
      total += count;
      byCommand[`${client.replace(/Client$/, '')} ${command}`] = perBlock(count);
    }
  }
  const { warmUp } = figures;
  return {
    blocksPerSecond: round2(blocks / figures.wallSeconds),
    warmUp:
      warmUp === undefined
        ? null
        : {
            blocks: warmUp.blocks,
            wallSeconds: round2(warmUp.wallSeconds),
            blocksPerSecond: round2(warmUp.blocks / warmUp.wallSeconds),
            blocksPerSecondIncludingWarmUp: round2(
              (warmUp.blocks + blocks) / (warmUp.wallSeconds + figures.wallSeconds),
            ),
          },
    awsCallsPerBlock: {
      total: perBlock(total),
      dynamodb: perBlock(byService.dynamodb),
      sqs: perBlock(byService.sqs),
      s3: perBlock(byService.s3),
      batch: perBlock(byService.batch),
    },
    byCommand,
    msPerAwsCall: msPerAwsCall(figures, total),
    store: figures.store,
    blocks,
    wallSeconds: round2(figures.wallSeconds),
    blocksPerCpuSecond: round2(blocks / figures.cpuSeconds),
    jobsSubmittedPerBlock: perBlock(figures.jobsSubmitted),
    proposerWakeupsPerBlock: perBlock(figures.proposerWakeups),
    dispatchFailures: figures.dispatchFailures,
    jobCompletionErrors: figures.jobCompletionErrors,
    sanity: { ok: figures.sanity.ok, description: figures.sanity.description },
  };
}

function msPerAwsCall(figures: OrchestratorBenchFigures, calls: number): MsPerAwsCall {
  const per = (seconds: number): number => Math.round((seconds * 1000 * 1000) / calls) / 1000;
  return {
    wall: per(figures.wallSeconds),
    cpu: per(figures.cpuSeconds),
    storageStandInsCpu:
      figures.storageStandInsCpuSeconds === undefined ? null : per(figures.storageStandInsCpuSeconds),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function msPerCallLine(figures: OrchestratorBenchFigures): string {
  const total = Object.values(figures.calls)
    .flatMap((commands) => Object.values(commands))
    .reduce((a, b) => a + b, 0);
  const ms = msPerAwsCall(figures, total);
  const child = ms.storageStandInsCpu === null ? '' : `, stand-ins' process CPU ${ms.storageStandInsCpu}`;
  return `  ms per AWS call: wall ${ms.wall}, this process's CPU ${ms.cpu}${child} (200 blocks/s at this wall cost allows ${(1000 / 200 / ms.wall).toFixed(2)} calls per block)`;
}

function warmUpLine(figures: OrchestratorBenchFigures): string {
  const { warmUp } = figures;
  if (warmUp === undefined)
    return '  warm-up: none (the clock started with the first block and its first-call costs)';
  const blocks = Number(figures.blocks.endBlock - figures.blocks.startBlock);
  const withWarmUp = (warmUp.blocks + blocks) / (warmUp.wallSeconds + figures.wallSeconds);
  return `  warm-up before the clock: ${warmUp.blocks} blocks in ${warmUp.wallSeconds.toFixed(2)} s (${(warmUp.blocks / warmUp.wallSeconds).toFixed(1)} blocks/s: module loads, first SDK calls); all blocks with it: ${withWarmUp.toFixed(1)} blocks/s`;
}

/** The benchmark's printed report: throughput, group counts, AWS API calls per L2 block by service and by command. */
export function orchestratorBenchReport(figures: OrchestratorBenchFigures): string {
  const { configPath, wallSeconds, calls, sanity } = figures;
  const { startBlock, endBlock } = figures.blocks;
  const blocks = endBlock - startBlock;
  const rangeGroups = sanity.rangeGroups;
  const aggregateGroups = sanity.aggregateGroups;
  const perBlock = (count: number): string => (count / Number(blocks)).toFixed(2);
  const serviceOf = (client: string): string => client.replace(/Client$/, '');
  const lines = [
    `orchestrator benchmark (${configPath}; instant prover with synthetic results, nothing proven)`,
    ...(figures.store === 'memory'
      ? [
          "  store: memory (in-memory ports, no stand-in or SDK: the orchestrator's own ceiling, not the benchmark's figure)",
        ]
      : []),
    warmUpLine(figures),
    `  blocks timed: ${blocks} (${startBlock + 1n}..${endBlock})`,
    `  wall seconds (first publish → every block in a succeeded aggregate): ${wallSeconds.toFixed(2)}`,
    `  blocks per second through the orchestrator: ${(Number(blocks) / wallSeconds).toFixed(1)} (per CPU second of the process, stand-ins included: ${(Number(blocks) / figures.cpuSeconds).toFixed(1)})`,
    msPerCallLine(figures),
    `  range groups formed: ${rangeGroups}; aggregate groups formed: ${aggregateGroups}; jobs submitted: ${figures.jobsSubmitted}; proposer wake-ups: ${figures.proposerWakeups} (Lambda Invoke calls on AWS)`,
    `  dispatch failures: ${figures.dispatchFailures}; job completion errors: ${figures.jobCompletionErrors}`,
    '  AWS API calls per L2 block by service (SDK middleware; orchestrator + job-state + checkpoint submits + block publish):',
    ...Object.entries(calls).map(
      ([client, commands]) =>
        `    ${serviceOf(client).padEnd(10)} ${perBlock(Object.values(commands).reduce((a, b) => a + b, 0))}`,
    ),
    '  by command:',
    ...Object.entries(calls)
      .flatMap(([client, commands]) =>
        Object.entries(commands).map(
          ([command, count]) => [`${serviceOf(client)} ${command}`, count] as const,
        ),
      )
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `    ${name.padEnd(34)} ${perBlock(count)}  (${count} calls)`),
    `  sanity: ${sanity.ok ? 'ok' : 'FAILED'}: ${sanity.description}`,
  ];
  return `${lines.join('\n')}\n`;
}
