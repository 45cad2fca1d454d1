import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sameHex } from '../../lambdas/chain/hex-bytes.js';
import {
  type AggregateRequest,
  type AggregateResult,
  aggregateResultSchema,
} from '../../lambdas/core/executor/aggregate-contract.js';
import {
  EXECUTOR_INPUT_FLAG,
  EXECUTOR_OUTPUT_FLAG,
  type ExecutorResult,
  parseExecutorOutput,
  parseExecutorRequest,
} from '../../lambdas/core/executor/program-contracts.js';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';
import { type RangeResult, rangeResultSchema } from '../../lambdas/core/executor/range-contract.js';
import { describeIssues } from '../../lambdas/core/schema/schema-issues.js';
import { type ChildExit, runChildProcess } from '../executor/run-child-process.js';
import { encodeAggregationOutputs } from '../programs/aggregate/aggregation-outputs.js';
import { encodeBootInfo } from '../programs/range/boot-info.js';
import { proverExitCodes } from '../provers/prover-exit-codes.js';

export interface ConformanceOptions {
  readonly program: ProgramName;
  /** The prover command, e.g. `['node', '--import', 'tsx', 'batch-jobs/provers/range.ts']`. */
  readonly prover: readonly string[];
  /** A request document the prover must accept (it may need chains: see `env`). */
  readonly validInput: unknown;
  /** Environment for the prover (merged over this process's), e.g. `L1_RPC_URLS`, `L2_RPC_URLS`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Per-invocation timeout. @default 120_000 */
  readonly timeoutMs?: number;
}

export interface CheckOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface ConformanceReport {
  readonly program: ProgramName;
  readonly checks: readonly CheckOutcome[];
  readonly passed: boolean;
}

const resultSchemas = { range: rangeResultSchema, aggregate: aggregateResultSchema } as const;

/**
 * Runs a prover binary through the executor contract: each kind of invalid invocation must exit 2
 * with a message on stderr and write no output; the valid input must exit 0 and write an output
 * document that validates, answers the request, and whose public values encode its decoded fields.
 *
 * @example
 * const report = await runConformance({ program: 'range', prover: ['node', '--import', 'tsx', 'batch-jobs/provers/range.ts'], validInput, env });
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const request = parseExecutorRequest(options.program, options.validInput);
  const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
  const env = { ...process.env, ...options.env };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const [executable, ...leadingArgs] = options.prover;
  if (executable === undefined) throw new Error('conformance: the prover command is empty');
  const run = (args: readonly string[]): Promise<ChildExit> =>
    runChildProcess(executable, [...leadingArgs, ...args], { env, timeoutMs, stderrTailBytes: 16_384 });
  const checks: CheckOutcome[] = [];

  /** Writes `content` as the input file, runs the prover on it, expects exit 2 and no output. */
  const expectRejected = async (
    name: string,
    content: string | undefined,
    mustMention?: string,
  ): Promise<CheckOutcome> => {
    const inputPath = join(dir, `${name}-input.json`);
    const outputPath = join(dir, `${name}-output.json`);
    if (content !== undefined) await writeFile(inputPath, content);
    const result = await run([EXECUTOR_INPUT_FLAG, inputPath, EXECUTOR_OUTPUT_FLAG, outputPath]);
    return { name, ...judgeRejection(result, existsSync(outputPath), mustMention, timeoutMs) };
  };

  try {
    const { start: _dropped, ...withoutStart } = options.validInput as Record<string, unknown>;
    const otherProgram: ProgramName = options.program === 'range' ? 'aggregate' : 'range';
    // The invalid invocations are independent: run them side by side (prover start-up dominates).
    checks.push(
      ...(await Promise.all([
        run([]).then((result) => ({
          name: 'missing-arguments',
          ...judgeRejection(result, false, undefined, timeoutMs),
        })),
        expectRejected('missing-input-file', undefined),
        expectRejected('input-not-json', '{ "version": 1, "program": '),
        expectRejected('input-schema-invalid', JSON.stringify(withoutStart), 'start'),
        expectRejected(
          'input-wrong-version',
          JSON.stringify({ ...(options.validInput as object), version: 2 }),
          'version',
        ),
        expectRejected(
          'input-wrong-program',
          JSON.stringify({ ...(options.validInput as object), program: otherProgram }),
          'program',
        ),
      ])),
    );

    const inputPath = join(dir, 'valid-input.json');
    const outputPath = join(dir, 'valid-output.json');
    await writeFile(inputPath, JSON.stringify(options.validInput));
    const valid = await run([EXECUTOR_INPUT_FLAG, inputPath, EXECUTOR_OUTPUT_FLAG, outputPath]);
    checks.push({
      name: 'valid-input-exit-0',
      ...(valid.ended === 'exit' && valid.code === proverExitCodes.ok
        ? { passed: true, detail: 'exit 0' }
        : { passed: false, detail: `${describeExit(valid, timeoutMs)}: ${tail(valid.stderrTail)}` }),
    });
    checks.push(...(await judgeOutput(options.program, request, outputPath)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { program: options.program, checks, passed: checks.every((check) => check.passed) };
}

function judgeRejection(
  result: ChildExit,
  outputWritten: boolean,
  mustMention: string | undefined,
  timeoutMs: number,
): { passed: boolean; detail: string } {
  if (result.ended !== 'exit' || result.code !== proverExitCodes.invalidInput) {
    return {
      passed: false,
      detail: `expected exit ${proverExitCodes.invalidInput}, got ${describeExit(result, timeoutMs)}`,
    };
  }
  const stderr = result.stderrTail.trim();
  if (stderr === '')
    return { passed: false, detail: 'exit 2 but nothing on stderr to tell the operator why' };
  if (outputWritten) return { passed: false, detail: 'exit 2 but an output file was written' };
  if (mustMention !== undefined && !stderr.includes(mustMention)) {
    return {
      passed: false,
      detail: `stderr does not name the field "${mustMention}": ${tail(stderr)}`,
    };
  }
  return { passed: true, detail: `exit 2: ${tail(stderr)}` };
}

function describeExit(result: ChildExit, timeoutMs: number): string {
  if (result.ended === 'timeout') return `timed out after ${timeoutMs} ms`;
  return result.code === null ? `killed by ${result.signal}` : `exit ${result.code}`;
}

async function judgeOutput(
  program: ProgramName,
  request: ReturnType<typeof parseExecutorRequest>,
  outputPath: string,
): Promise<CheckOutcome[]> {
  const skipped = (reason: string): CheckOutcome[] =>
    ['valid-output-matches-request', 'valid-output-public-values'].map((name) => ({
      name,
      passed: false,
      detail: `not checked: ${reason}`,
    }));
  let results: ExecutorResult[];
  try {
    const raw: unknown = JSON.parse(await readFile(outputPath, 'utf8'));
    if (!Array.isArray(raw)) {
      // The union schema reports "(root): Invalid input"; the single-document schema names the field.
      const single = resultSchemas[program].safeParse(raw);
      if (!single.success) throw new Error(describeIssues(single.error, raw).join('; '));
    }
    results = parseExecutorOutput(program, raw);
  } catch (error) {
    return [
      { name: 'valid-output-schema', passed: false, detail: (error as Error).message },
      ...skipped('no valid output'),
    ];
  }
  const outcomes: CheckOutcome[] = [
    { name: 'valid-output-schema', passed: true, detail: `${results.length} result(s)` },
  ];
  const first = results[0] as ExecutorResult;
  const last = results[results.length - 1] as ExecutorResult;
  const contiguous = results.every(
    (result, i) => i === 0 || result.start === (results[i - 1] as ExecutorResult).end,
  );
  outcomes.push({
    name: 'valid-output-matches-request',
    ...(first.start === request.start && last.end === request.end && contiguous
      ? { passed: true, detail: `covers ${request.start}-${request.end}` }
      : {
          passed: false,
          detail: `results cover ${first.start}-${last.end}, the request asked ${request.start}-${request.end}`,
        }),
  });
  const inconsistent = results
    .map((result) => publicValuesProblem(result, request))
    .find((p) => p !== undefined);
  outcomes.push({
    name: 'valid-output-public-values',
    ...(inconsistent === undefined
      ? { passed: true, detail: 'public values encode the decoded fields' }
      : { passed: false, detail: inconsistent }),
  });
  return outcomes;
}

function publicValuesProblem(
  result: ExecutorResult,
  request: ReturnType<typeof parseExecutorRequest>,
): string | undefined {
  if (result.program === 'range') {
    const range = result as RangeResult;
    if (range.bootInfo.l2BlockNumber !== range.end)
      return `bootInfo.l2BlockNumber ${range.bootInfo.l2BlockNumber} ≠ end ${range.end}`;
    if (!sameHex(encodeBootInfo(range.bootInfo), range.publicValues))
      return 'publicValues do not ABI-encode bootInfo';
    return undefined;
  }
  const aggregate = result as AggregateResult;
  const checkpoint = (request as AggregateRequest).checkpoint;
  if (aggregate.l1BlockNumber !== checkpoint.l1BlockNumber) {
    return `l1BlockNumber ${aggregate.l1BlockNumber} ≠ checkpoint ${checkpoint.l1BlockNumber}`;
  }
  if (!sameHex(aggregate.outputs.l1Head, checkpoint.l1BlockHash))
    return 'outputs.l1Head is not the checkpointed hash';
  if (aggregate.outputs.claimBlockNum !== aggregate.end)
    return `outputs.claimBlockNum ≠ end ${aggregate.end}`;
  if (!sameHex(encodeAggregationOutputs(aggregate.outputs), aggregate.publicValues)) {
    return 'publicValues do not ABI-encode outputs';
  }
  return undefined;
}

function tail(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `…${oneLine.slice(-200)}` : oneLine;
}
