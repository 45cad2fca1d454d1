/**
 * Conformance command: runs any prover binary through the executor contract and prints PASS/FAIL per
 * check; exits 1 when a check fails, 2 on bad usage.
 *
 *   node --import tsx batch-jobs/conformance.ts --program range|aggregate --prover "<argv>" \
 *     (--l1-rpc <url> --l2-rpc <url> [--rollup-config <path>] | --fixture <dir>) [--timeout-ms <ms>]
 *
 * `--prover` is split on whitespace. With RPC URLs the valid input is built from the chains and the
 * prover gets `L1_RPC_URLS`/`L2_RPC_URLS`; with `--fixture` it is `<dir>/valid-input.json` (+ `env.json`).
 */
import { parseArgs } from 'node:util';
import { programNameSchema } from '../lambdas/core/executor/program-name.js';
import { runConformance } from './conformance/conformance-checks.js';
import { readConformanceFixture } from './conformance/conformance-fixture.js';
import { validInputFromChains } from './conformance/valid-input-from-chains.js';
import { defaultRollupConfigPath } from './provers/prover-env.js';

const USAGE =
  'usage: conformance --program range|aggregate --prover "<argv>" (--l1-rpc <url> --l2-rpc <url> | --fixture <dir>)';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      program: { type: 'string' },
      prover: { type: 'string' },
      fixture: { type: 'string' },
      'l1-rpc': { type: 'string' },
      'l2-rpc': { type: 'string' },
      'rollup-config': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
  });
  const program = programNameSchema.safeParse(values.program).data;
  const prover = (values.prover ?? '').split(/\s+/).filter((part) => part !== '');
  if (program === undefined || prover.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let validInput: unknown;
  let env: Record<string, string>;
  if (values.fixture !== undefined) {
    ({ validInput, env } = await readConformanceFixture(values.fixture));
  } else if (values['l1-rpc'] !== undefined && values['l2-rpc'] !== undefined) {
    const rollupConfigPath = values['rollup-config'] ?? defaultRollupConfigPath;
    validInput = await validInputFromChains(program, {
      l1RpcUrl: values['l1-rpc'],
      l2RpcUrl: values['l2-rpc'],
      rollupConfigPath,
    });
    env = {
      L1_RPC_URLS: values['l1-rpc'],
      L2_RPC_URLS: values['l2-rpc'],
      ROLLUP_CONFIG_PATH: rollupConfigPath,
    };
  } else {
    process.stderr.write(`give --fixture <dir> or both --l1-rpc and --l2-rpc\n${USAGE}\n`);
    return 2;
  }
  const report = await runConformance({
    program,
    prover,
    validInput,
    env,
    ...(values['timeout-ms'] === undefined ? {} : { timeoutMs: Number(values['timeout-ms']) }),
  });
  for (const check of report.checks) {
    process.stdout.write(`${check.passed ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}\n`);
  }
  const failed = report.checks.filter((check) => !check.passed).map((check) => check.name);
  process.stdout.write(
    failed.length === 0
      ? `conformance ${program}: all ${report.checks.length} checks passed\n`
      : `conformance ${program}: FAILED ${failed.join(', ')}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
});
