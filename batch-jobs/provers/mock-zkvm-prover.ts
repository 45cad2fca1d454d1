/**
 * Reference external prover for the binary backend (`batch-jobs/zkvm/backends/binary-prover-contract.ts`):
 * answers setup / execute / prove / verify with the mock backend. An SP1 GPU prover image implements
 * the same contract; this one lets `ZKVM_BACKEND=binary` run end to end without GPUs:
 * `ZKVM_PROVER_COMMAND="node --import tsx batch-jobs/provers/mock-zkvm-prover.ts"`.
 * Exit 0: response written; 1: the guest rejected its input; 2: malformed request.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Hex } from '../../lambdas/chain/hex-bytes.js';
import { EXECUTOR_INPUT_FLAG, EXECUTOR_OUTPUT_FLAG } from '../../lambdas/core/executor/program-contracts.js';
import { describeIssues } from '../../lambdas/core/schema/schema-issues.js';
import { aggregateProgram } from '../programs/aggregate/aggregate-program.js';
import { rangeProgram } from '../programs/range/range-program.js';
import type { ProofArtifact } from '../zkvm/backend.js';
import { binaryProverRequestSchema } from '../zkvm/backends/binary-prover-contract.js';
import { createMockBackend } from '../zkvm/backends/mock-backend.js';
import type { Program } from '../zkvm/program.js';
import { proverExitCodes } from './prover-exit-codes.js';
import { ProverUsageError } from './prover-usage-error.js';
import { parseProverArgs } from './run-prover-cli.js';

const programs: readonly Program<never>[] = [
  rangeProgram as Program<never>,
  aggregateProgram as Program<never>,
];

async function main(): Promise<number> {
  let inputPath: string;
  let outputPath: string;
  try {
    ({ inputPath, outputPath } = parseProverArgs(process.argv.slice(2)));
  } catch (error) {
    if (!(error instanceof ProverUsageError)) throw error;
    process.stderr.write(
      `usage: mock-zkvm-prover ${EXECUTOR_INPUT_FLAG} req.json ${EXECUTOR_OUTPUT_FLAG} res.json (${error.message})\n`,
    );
    return proverExitCodes.invalidInput;
  }
  const raw: unknown = JSON.parse(await readFile(inputPath, 'utf8'));
  const parsed = binaryProverRequestSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`invalid prover request: ${describeIssues(parsed.error, raw).join('; ')}\n`);
    return proverExitCodes.invalidInput;
  }
  const request = parsed.data;
  const backend = createMockBackend();
  let response: unknown;
  if (request.action === 'verify') {
    const artifact = request.artifact as ProofArtifact;
    response = await backend.verify(artifact, request.vkey as Hex).then(
      () => ({ valid: true }),
      (error: Error) => ({ valid: false, reason: error.message }),
    );
  } else {
    const program = programs.find(
      (p) => p.id === request.program.id && p.version === request.program.version,
    );
    if (program === undefined) {
      process.stderr.write(`unknown program ${request.program.id}@${request.program.version}\n`);
      return proverExitCodes.invalidInput;
    }
    if (request.action === 'setup') response = await backend.setup(program);
    else if (request.action === 'execute') response = await backend.execute(program, request.input as never);
    else response = await backend.prove(program, request.input as never, request.proofMode);
  }
  await writeFile(outputPath, JSON.stringify(response));
  return proverExitCodes.ok;
}

// No top-level await: the local run bundles this file as CommonJS to start it from a V8 code cache.
void main()
  .catch((error: unknown) => {
    // Guest rejections, unreadable files: the caller keeps this line as the stderr tail.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return proverExitCodes.failed;
  })
  .then((code) => {
    process.exitCode = code;
  });
