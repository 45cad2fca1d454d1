import type { BenchBlocks, GroupCheck } from './orchestrator-group-check.js';
import type { CallCounts } from './sdk-call-counts.js';

/** What one orchestrator benchmark run measured. */
export interface OrchestratorBenchFigures {
  readonly configPath: string;
  readonly blocks: BenchBlocks;
  /** First publish until every block is in a succeeded aggregate group. */
  readonly wallSeconds: number;
  readonly calls: CallCounts;
  readonly sanity: GroupCheck;
  readonly jobsSubmitted: number;
  readonly dispatchFailures: number;
  readonly jobCompletionErrors: number;
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
    `  blocks: ${blocks} (${startBlock + 1n}..${endBlock})`,
    `  wall seconds (first publish → every block in a succeeded aggregate): ${wallSeconds.toFixed(2)}`,
    `  blocks per second through the orchestrator: ${(Number(blocks) / wallSeconds).toFixed(1)}`,
    `  range groups formed: ${rangeGroups}; aggregate groups formed: ${aggregateGroups}; jobs submitted: ${figures.jobsSubmitted}`,
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
