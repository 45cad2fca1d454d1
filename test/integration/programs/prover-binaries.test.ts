import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../../batch-jobs/conformance/conformance-checks.js';
import { validInputFromChains } from '../../../batch-jobs/conformance/valid-input-from-chains.js';
import { runChildProcess } from '../../../batch-jobs/executor/run-child-process.js';
import type { AggregateRequest } from '../../../lambdas/core/executor/aggregate-contract.js';
import { parseExecutorOutput } from '../../../lambdas/core/executor/program-contracts.js';
import type { RangeRequest, RangeResult } from '../../../lambdas/core/executor/range-contract.js';
import { devnetRollupConfigPath, type ProgramDevnet, startProgramDevnet } from './program-devnet.js';

const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
const tsNode = (relative: string): string[] => ['node', '--import', 'tsx', repoPath(relative)];
const rangeProver = tsNode('batch-jobs/provers/range.ts');
const aggregateProver = tsNode('batch-jobs/provers/aggregate.ts');

describe('prover binaries and the conformance command', () => {
  let devnet: ProgramDevnet;
  let dir: string;
  let env: Record<string, string>;

  const runProver = async (command: string[], input: unknown, extraEnv: Record<string, string> = {}) => {
    const name = `${Math.random().toString(36).slice(2)}`;
    const inputPath = join(dir, `${name}-in.json`);
    const outputPath = join(dir, `${name}-out.json`);
    await writeFile(inputPath, JSON.stringify(input));
    const [executable, ...leading] = command as [string, ...string[]];
    const run = await runChildProcess(
      executable,
      [...leading, '--input-path', inputPath, '--output-path', outputPath],
      { env: { ...process.env, ...env, ...extraEnv }, timeoutMs: 60_000 },
    );
    return {
      ...run,
      stderr: run.stderrTail,
      output: existsSync(outputPath)
        ? (JSON.parse(await readFile(outputPath, 'utf8')) as unknown)
        : undefined,
    };
  };

  beforeAll(async () => {
    devnet = await startProgramDevnet(4);
    await devnet.mineL2(3, true);
    await devnet.mineL2(3, false);
    dir = await mkdtemp(join(tmpdir(), 'prover-binaries-'));
    env = {
      L1_RPC_URLS: devnet.chains.l1.rpcUrl,
      L2_RPC_URLS: devnet.chains.l2.rpcUrl,
      ROLLUP_CONFIG_PATH: devnetRollupConfigPath,
    };
  });

  afterAll(async () => {
    await devnet?.chains.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const endpoints = () => ({
    l1RpcUrl: devnet.chains.l1.rpcUrl,
    l2RpcUrl: devnet.chains.l2.rpcUrl,
    rollupConfigPath: devnetRollupConfigPath,
  });

  it('passes every conformance check for the range prover', async () => {
    // Prepare
    const validInput = await validInputFromChains('range', endpoints());

    // Act
    const report = await runConformance({ program: 'range', prover: rangeProver, validInput, env });

    // Assess
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(report.checks).toHaveLength(10);
    expect(report.passed).toBe(true);
  });

  it('passes every conformance check for the aggregate prover', async () => {
    // Prepare
    const validInput = await validInputFromChains('aggregate', endpoints());

    // Act
    const report = await runConformance({ program: 'aggregate', prover: aggregateProver, validInput, env });

    // Assess
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('fails the output schema check, by name, for a prover that drops bootInfo (command line)', async () => {
    // Prepare
    const fixture = join(dir, 'fixture');
    await rm(fixture, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(fixture));
    await writeFile(
      join(fixture, 'valid-input.json'),
      JSON.stringify(await validInputFromChains('range', endpoints())),
    );
    await writeFile(join(fixture, 'env.json'), JSON.stringify(env));
    const broken = tsNode('test/support/broken-prover/drops-boot-info.ts').join(' ');

    // Act
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        'node',
        [
          '--import',
          'tsx',
          repoPath('batch-jobs/conformance.ts'),
          '--program',
          'range',
          '--prover',
          broken,
          '--fixture',
          fixture,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.on('close', (code) => resolve({ code, stdout }));
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PASS input-not-json');
    expect(run.stdout).toContain('PASS valid-input-exit-0');
    expect(run.stdout).toMatch(/FAIL valid-output-schema: .*bootInfo/);
    expect(run.stdout).toContain('conformance range: FAILED valid-output-schema');
  });

  it('fails every invalid-input check for a prover that accepts garbage', async () => {
    // Prepare
    const validInput = await validInputFromChains('range', endpoints());

    // Act
    const report = await runConformance({
      program: 'range',
      prover: tsNode('test/support/broken-prover/accepts-garbage.ts'),
      validInput,
      env,
    });

    // Assess
    const failed = report.checks.filter((check) => !check.passed).map((check) => check.name);
    expect(failed).toEqual(
      expect.arrayContaining([
        'missing-arguments',
        'missing-input-file',
        'input-not-json',
        'input-schema-invalid',
        'input-wrong-version',
        'input-wrong-program',
        'valid-output-schema',
      ]),
    );
    expect(report.checks.find((check) => check.name === 'input-not-json')?.detail).toBe(
      'expected exit 2, got exit 0',
    );
    expect(report.passed).toBe(false);
  });

  it('exits 1 naming the failed check when the aggregate program refuses its input', async () => {
    // Prepare
    const valid = (await validInputFromChains('aggregate', endpoints())) as AggregateRequest;
    const [first, second] = valid.ranges as [RangeResult, RangeResult];
    const gapped = { ...valid, ranges: [first, { ...second, start: String(BigInt(second.start) + 1n) }] };

    // Act
    const run = await runProver(aggregateProver, gapped);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`[range-gap]: gap between range ${first.start}-${first.end}`);
    expect(run.output).toBeUndefined();
  });

  it('proves through the binary backend with the reference external prover, same public values as mock', async () => {
    // Prepare
    const input = (await validInputFromChains('range', endpoints())) as RangeRequest;
    const l1Head = (await devnet.l1.getBlock({ blockTag: 'latest' })).hash;
    const pinned = { ...input, l1Head };

    // Act: the two runs are independent (own input and output files), so they run side by side.
    const [mock, binary] = await Promise.all([
      runProver(rangeProver, pinned),
      runProver(rangeProver, pinned, {
        ZKVM_BACKEND: 'binary',
        ZKVM_PROVER_COMMAND: tsNode('batch-jobs/provers/mock-zkvm-prover.ts').join(' '),
      }),
    ]);

    // Assess
    expect(binary.code).toBe(0);
    const [mockResult] = parseExecutorOutput('range', mock.output) as RangeResult[];
    const [binaryResult] = parseExecutorOutput('range', binary.output) as RangeResult[];
    expect(binaryResult?.backend).toBe('binary');
    expect(binaryResult?.publicValues).toBe(mockResult?.publicValues);
    expect(binaryResult?.vkey).toBe(mockResult?.vkey);
  });

  it('exits 2 naming the variable when the RPC environment is missing', async () => {
    // Prepare
    const input = await validInputFromChains('range', endpoints());

    // Act
    const run = await runProver(rangeProver, input, { L2_RPC_URLS: '' });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('L2_RPC_URLS is not set');
  });
});
