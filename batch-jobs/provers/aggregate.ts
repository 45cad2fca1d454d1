/**
 * Aggregate prover binary (executor contract):
 * `node --import tsx batch-jobs/provers/aggregate.ts --input-path in.json --output-path out.json`.
 * Reads an AggregateRequest, writes an AggregateResult. Environment: see `prover-env.ts`.
 */
import type { AggregateRequest } from '../../lambdas/core/executor/aggregate-contract.js';
import { createAggregateHost } from '../programs/aggregate/aggregate-host.js';
import { proveAggregate } from '../programs/aggregate/prove-aggregate.js';
import { runProverCli } from './run-prover-cli.js';

// No top-level await: the local run bundles this file as CommonJS to start it from a V8 code cache.
void runProverCli('aggregate', process.argv.slice(2), (request, env) =>
  proveAggregate(request as AggregateRequest, {
    host: createAggregateHost({ l1: env.l1() }),
    backend: env.backend,
  }),
).then((code) => {
  process.exitCode = code;
});
