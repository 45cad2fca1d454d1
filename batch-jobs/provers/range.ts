/**
 * Range prover binary (executor contract):
 * `node --import tsx batch-jobs/provers/range.ts --input-path in.json --output-path out.json`.
 * Reads a RangeRequest, writes a RangeResult. Environment: see `prover-env.ts`.
 */
import type { RangeRequest } from '../../lambdas/core/executor/range-contract.js';
import { proveRange } from '../programs/range/prove-range.js';
import { createRangeHost } from '../programs/range/range-host.js';
import { runProverCli } from './run-prover-cli.js';

// No top-level await: the local run bundles this file as CommonJS to start it from a V8 code cache.
void runProverCli('range', process.argv.slice(2), (request, env) =>
  proveRange(request as RangeRequest, {
    host: createRangeHost({ l1: env.l1(), l2: env.l2(), rollupConfigPath: env.rollupConfigPath }),
    backend: env.backend,
  }),
).then((code) => {
  process.exitCode = code;
});
