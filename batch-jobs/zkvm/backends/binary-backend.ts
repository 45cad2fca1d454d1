import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import type { BackendName } from '../../../lambdas/core/executor/backend-name.js';
import { ExecutorSpawnError } from '../../../lambdas/core/executor/executor-errors.js';
import { describeIssues } from '../../../lambdas/core/schema/schema-issues.js';
import { type ChildExit, runChildProcess } from '../../executor/run-child-process.js';
import type { ZkvmBackend } from '../backend.js';
import { ProverBackendError } from '../errors.js';
import {
  type BinaryProverAction,
  type BinaryProverRequest,
  binaryProverResponseSchemas,
} from './binary-prover-contract.js';

export interface BinaryBackendOptions {
  /** The prover executable and its leading arguments, e.g. `['sp1-op-prover']`. */
  readonly command: readonly string[];
  /** Name reported in result documents. @default 'binary' */
  readonly name?: Extract<BackendName, 'binary' | 'sp1'>;
  /** Stop the prover's process group after this long. @default 3_600_000 (1 h: GPU proofs take minutes) */
  readonly timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping it. @default 5000 */
  readonly killGraceMs?: number;
  /** Extra environment for the prover process (merged over this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
}

const DEFAULT_TIMEOUT_MS = 3_600_000;

/**
 * A backend that delegates to an external prover executable speaking the binary prover contract
 * (`binary-prover-contract.ts`): each call writes a request file, runs the command with
 * `--input-path/--output-path` and reads the response back. This is how the SP1 GPU prover plugs in.
 */
export function createBinaryBackend(options: BinaryBackendOptions): ZkvmBackend {
  const [executable, ...leadingArgs] = options.command;
  if (executable === undefined) throw new ProverBackendError('binary backend: empty prover command');
  const run = <A extends BinaryProverAction>(
    request: Extract<BinaryProverRequest, { action: A }>,
  ): Promise<z.output<(typeof binaryProverResponseSchemas)[A]>> =>
    runProver(executable, leadingArgs, request, options) as Promise<
      z.output<(typeof binaryProverResponseSchemas)[A]>
    >;
  return {
    name: options.name ?? 'binary',
    async setup(program) {
      const { vkey } = await run({
        version: 1,
        action: 'setup',
        program: { id: program.id, version: program.version },
      });
      return { vkey: vkey as Hex };
    },
    async execute(program, input) {
      const response = await run({
        version: 1,
        action: 'execute',
        program: { id: program.id, version: program.version },
        input,
      });
      return { publicValues: response.publicValues as Hex, cycles: response.cycles };
    },
    async prove(program, input, mode) {
      const artifact = await run({
        version: 1,
        action: 'prove',
        program: { id: program.id, version: program.version },
        input,
        proofMode: mode,
      });
      return {
        proof: artifact.proof as Hex,
        publicValues: artifact.publicValues as Hex,
        vkey: artifact.vkey as Hex,
        mode: artifact.mode,
        cycles: artifact.cycles,
      };
    },
    async verify(artifact, vkey) {
      const { valid, reason } = await run({ version: 1, action: 'verify', artifact, vkey });
      if (!valid)
        throw new ProverBackendError(`proof does not verify: ${reason ?? 'the prover gave no reason'}`);
    },
  };
}

async function runProver(
  executable: string,
  leadingArgs: readonly string[],
  request: BinaryProverRequest,
  options: BinaryBackendOptions,
): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'zkvm-binary-'));
  try {
    const inputPath = join(dir, 'request.json');
    const outputPath = join(dir, 'response.json');
    await writeFile(inputPath, JSON.stringify(request));
    const commandText = [executable, ...leadingArgs].join(' ');
    const what = `prover "${commandText}" (${request.action})`;
    const exit = await spawnProver(
      executable,
      [...leadingArgs, '--input-path', inputPath, '--output-path', outputPath],
      options,
    );
    const stderrTail = exit.stderrTail.trim();
    if (exit.ended === 'timeout') {
      throw new ProverBackendError(
        `${what} timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms; its process group was stopped`,
        { details: stderrTail },
      );
    }
    if (exit.code !== 0) {
      const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with ${exit.code}`;
      throw new ProverBackendError(`${what} ${how}`, { details: stderrTail });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(outputPath, 'utf8'));
    } catch (cause) {
      throw new ProverBackendError(`${what} wrote no readable JSON response`, { cause, details: stderrTail });
    }
    const parsed = binaryProverResponseSchemas[request.action].safeParse(raw);
    if (!parsed.success) {
      throw new ProverBackendError(
        `${what} wrote an invalid response: ${describeIssues(parsed.error, raw).join('; ')}`,
      );
    }
    return parsed.data;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function spawnProver(
  executable: string,
  args: readonly string[],
  options: BinaryBackendOptions,
): Promise<ChildExit> {
  try {
    return await runChildProcess(executable, args, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      env: { ...process.env, ...options.env },
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    });
  } catch (error) {
    if (!(error instanceof ExecutorSpawnError)) throw error;
    throw new ProverBackendError(`cannot start prover "${executable}": ${error.message}`, { cause: error });
  }
}
