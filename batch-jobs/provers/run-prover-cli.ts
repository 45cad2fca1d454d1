import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InvalidInputError, PipelineError } from '../../lambdas/core/errors.js';
import {
  EXECUTOR_INPUT_FLAG,
  EXECUTOR_OUTPUT_FLAG,
  type ExecutorRequest,
  type ExecutorResult,
  parseExecutorRequest,
} from '../../lambdas/core/executor/program-contracts.js';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';
import { type ProverEnv, readProverEnv } from './prover-env.js';
import { proverExitCodes } from './prover-exit-codes.js';
import { ProverUsageError } from './prover-usage-error.js';
import { isRpcOutage } from './rpc-outage.js';

/**
 * The body of a prover binary: `--input-path in.json --output-path out.json`, input validated with
 * `parseExecutorRequest`, result written to the output path (atomically), exit codes per
 * `proverExitCodes`, a one-paragraph error on stderr on failure.
 */
export async function runProverCli(
  program: ProgramName,
  argv: readonly string[],
  prove: (request: ExecutorRequest, env: ProverEnv) => Promise<ExecutorResult>,
): Promise<number> {
  try {
    const { inputPath, outputPath } = parseProverArgs(argv);
    const request = parseExecutorRequest(program, await readJson(inputPath));
    const env = readProverEnv(process.env);
    const result = await prove(request, env);
    const partialPath = `${outputPath}.partial`;
    await writeFile(partialPath, `${JSON.stringify(result, null, 2)}\n`);
    await rename(partialPath, outputPath);
    return proverExitCodes.ok;
  } catch (error) {
    process.stderr.write(`${program} prover: ${describeError(error)}\n`);
    if (error instanceof InvalidInputError || error instanceof ProverUsageError)
      return proverExitCodes.invalidInput;
    return isRpcOutage(error) ? proverExitCodes.infrastructure : proverExitCodes.failed;
  }
}

/**
 * Reads `--input-path` and `--output-path` from a prover's argv.
 * @throws ProverUsageError on an unknown or missing flag.
 */
export function parseProverArgs(argv: readonly string[]): { inputPath: string; outputPath: string } {
  let values: { 'input-path'?: string | undefined; 'output-path'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { 'input-path': { type: 'string' }, 'output-path': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new ProverUsageError(`bad arguments: ${(error as Error).message}; usage: ${usage()}`);
  }
  const inputPath = values['input-path'];
  const outputPath = values['output-path'];
  if (inputPath === undefined || outputPath === undefined) {
    throw new ProverUsageError(
      `missing ${inputPath === undefined ? EXECUTOR_INPUT_FLAG : EXECUTOR_OUTPUT_FLAG}; usage: ${usage()}`,
    );
  }
  return { inputPath, outputPath };
}

function usage(): string {
  return `${EXECUTOR_INPUT_FLAG} <in.json> ${EXECUTOR_OUTPUT_FLAG} <out.json>`;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError('input file', [
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code})`,
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError('input file', [`${path}: not JSON (${(error as Error).message})`]);
  }
}

function describeError(error: unknown): string {
  if (error instanceof PipelineError) {
    return error.details === undefined ? error.message : `${error.message}\n${error.details}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
