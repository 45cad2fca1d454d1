import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { describeIssues } from '../../core/schema-issues.js';
import type { BackendName, ZkvmBackend } from '../backend.js';
import { ProverBackendError } from '../errors.js';
import type { Hex } from '../hex-bytes.js';
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
  /** Kill the prover after this long. @default 3_600_000 (1 h: GPU proofs take minutes) */
  readonly timeoutMs?: number;
  /** Extra environment for the prover process (merged over this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
}

const STDERR_TAIL_BYTES = 4096;

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
    const { code, stderrTail } = await spawnProver(
      executable,
      [...leadingArgs, '--input-path', inputPath, '--output-path', outputPath],
      options,
    );
    if (code !== 0) {
      throw new ProverBackendError(`prover "${commandText}" (${request.action}) exited with ${code}`, {
        details: stderrTail,
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(outputPath, 'utf8'));
    } catch (cause) {
      throw new ProverBackendError(
        `prover "${commandText}" (${request.action}) wrote no readable JSON response`,
        {
          cause,
          details: stderrTail,
        },
      );
    }
    const parsed = binaryProverResponseSchemas[request.action].safeParse(raw);
    if (!parsed.success) {
      throw new ProverBackendError(
        `prover "${commandText}" (${request.action}) wrote an invalid response: ${describeIssues(parsed.error, raw).join('; ')}`,
      );
    }
    return parsed.data;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnProver(
  executable: string,
  args: readonly string[],
  options: BinaryBackendOptions,
): Promise<{ code: number | string; stderrTail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 3_600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new ProverBackendError(`cannot start prover "${executable}": ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? `signal ${signal}`, stderrTail: stderr.trim() });
    });
  });
}
