/**
 * Deliberately broken range prover for the conformance test: behaves like the real one, then removes
 * `bootInfo` from the result it wrote, so only the `valid-output-schema` check must fail.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { proveRange } from '../../../batch-jobs/programs/range/prove-range.js';
import { createRangeHost } from '../../../batch-jobs/programs/range/range-host.js';
import { proverExitCodes } from '../../../batch-jobs/provers/prover-exit-codes.js';
import { runProverCli } from '../../../batch-jobs/provers/run-prover-cli.js';
import type { RangeRequest } from '../../../lambdas/core/executor/range-contract.js';

const args = process.argv.slice(2);
const code = await runProverCli('range', args, (request, env) =>
  proveRange(request as RangeRequest, {
    host: createRangeHost({ l1: env.l1(), l2: env.l2(), rollupConfigPath: env.rollupConfigPath }),
    backend: env.backend,
  }),
);
if (code === proverExitCodes.ok) {
  const outputPath = args[args.indexOf('--output-path') + 1] as string;
  const { bootInfo: _dropped, ...rest } = JSON.parse(await readFile(outputPath, 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(outputPath, JSON.stringify(rest));
}
process.exitCode = code;
