/**
 * Prints the L1 gas used per checkpoint and per proposal by the proposer on local anvil chains
 * (mock verifier, so the proposal gas excludes a real SP1 verification). No assertions.
 *
 *   npx tsx scripts/bench-proposer-gas.ts [proposals=5]
 */
import { readFileSync } from 'node:fs';
import { createTestClient, http, keccak256, toHex } from 'viem';
import { devAccountRoles } from '../devnet/chains/dev-accounts.js';
import { startDevChains } from '../devnet/chains/start-dev-chains.js';
import { MemoryBlobStore } from '../lambdas/adapters/memory/memory-blob-store.js';
import { MemoryJobRunner } from '../lambdas/adapters/memory/memory-job-runner.js';
import { MemoryLogger } from '../lambdas/adapters/memory/memory-logger.js';
import { MemoryMessageBus } from '../lambdas/adapters/memory/memory-message-bus.js';
import { MemoryMetrics } from '../lambdas/adapters/memory/memory-metrics.js';
import { MemoryStateStore } from '../lambdas/adapters/memory/memory-state-store.js';
import { computeOutputRoot } from '../lambdas/chain/compute-output-root.js';
import { createLocalAccount } from '../lambdas/chain/local-account.js';
import { readOracleState } from '../lambdas/chain/oracle-reads.js';
import { createChainPublicClient } from '../lambdas/chain/rpc-transport.js';
import { txPolicyFromConfig } from '../lambdas/chain/tx-manager/fee-policy.js';
import { parsePipelineConfig } from '../lambdas/core/config/parse-pipeline-config.js';
import type { AggregateResult } from '../lambdas/core/executor/aggregate-contract.js';
import { rangeKey, sortKeyOf } from '../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../lambdas/core/messages/make-envelope.js';
import { messageKind } from '../lambdas/core/orchestrator/message-records.js';
import { systemClock } from '../lambdas/core/ports/clock.js';
import { encodeAggregationOutputs } from '../lambdas/programs/aggregate/aggregation-outputs.js';
import { obtainL1Checkpoint } from '../lambdas/proposer/obtain-l1-checkpoint.js';
import { runProposer } from '../lambdas/proposer/run-proposer.js';

const proposals = Number(process.argv[2] ?? 5);
const interval = 10;
const keys = {
  aggregationVkey: keccak256(toHex('bench aggregation vkey')),
  rangeVkeyCommitment: keccak256(toHex('bench range vkey')),
  rollupConfigHash: keccak256(toHex('bench rollup config')),
};

const chains = await startDevChains({
  ...keys,
  submissionInterval: interval,
  traffic: true,
  l2BlockTimeSeconds: 1,
});
try {
  const raw = JSON.parse(readFileSync(new URL('../config/devnet.json', import.meta.url), 'utf8'));
  raw.chains.l1.rpcUrls = [chains.l1.rpcUrl];
  raw.chains.l2.rpcUrls = [chains.l2.rpcUrl];
  const config = parsePipelineConfig(raw, 'bench');
  const store = new MemoryStateStore();
  const blobs = new MemoryBlobStore();
  const logger = new MemoryLogger();
  const metrics = new MemoryMetrics();
  const l1 = createChainPublicClient({
    chainId: 900,
    name: 'l1',
    rpcUrls: [chains.l1.rpcUrl],
    rpcTimeoutMs: 5000,
  });
  const l2 = createChainPublicClient({
    chainId: 901,
    name: 'l2',
    rpcUrls: [chains.l2.rpcUrl],
    rpcTimeoutMs: 5000,
  });
  const account = createLocalAccount(devAccountRoles.proposer);
  const deps = {
    config,
    store,
    blobs,
    l1,
    l2,
    account,
    oracleAddress: chains.oracleAddress,
    orchestrator: {
      config,
      store,
      bus: new MemoryMessageBus(),
      blobs,
      jobs: new MemoryJobRunner(),
      clock: systemClock,
      logger,
      metrics,
      programContext: { rollupConfigHash: keys.rollupConfigHash },
    },
    logger,
    metrics,
    clock: systemClock,
    invocationId: 'bench',
    pollIntervalMs: 100,
  };
  const oracle = await readOracleState(l1, {
    oracleAddress: chains.oracleAddress,
    configName: config.proposer.configName,
    proposer: account.address,
  });
  const tx = {
    store,
    client: l1,
    account,
    chainId: 900,
    policy: txPolicyFromConfig(config.proposer, { pollIntervalMs: 100 }),
    clock: systemClock,
    logger,
  };
  const checkpoint = await obtainL1Checkpoint({ deps, tx, oracle, deadline: Date.now() + 60_000 });
  if (checkpoint.kind !== 'ready') throw new Error('checkpoint did not complete');
  console.log(
    `checkpointBlockHash: ${checkpoint.checkpoint.gasUsed} gas (L1 block ${checkpoint.checkpoint.l1BlockNumber})`,
  );

  const l2Test = createTestClient({ mode: 'anvil', transport: http(chains.l2.rpcUrl) });
  const start = chains.startingBlock.blockNumber;
  await l2Test.mine({ blocks: proposals * interval + 1 });
  for (let k = 0; k < proposals; k++) {
    const a = start + BigInt(k * interval);
    const b = a + BigInt(interval);
    const [pre, post] = await Promise.all([computeOutputRoot(l2, a), computeOutputRoot(l2, b)]);
    const outputs = {
      l1Head: checkpoint.checkpoint.l1BlockHash,
      l2PreRoot: pre.outputRoot,
      claimRoot: post.outputRoot,
      claimBlockNum: b.toString(),
      rollupConfigHash: keys.rollupConfigHash,
      rangeVkeyCommitment: keys.rangeVkeyCommitment,
      proverAddress: account.address,
    };
    const result: AggregateResult = {
      version: 1,
      program: 'aggregate',
      start: a.toString(),
      end: b.toString(),
      outputs,
      publicValues: encodeAggregationOutputs(outputs),
      proof: '0x',
      aggregationVkey: keys.aggregationVkey,
      l1BlockNumber: checkpoint.checkpoint.l1BlockNumber.toString(),
      backend: 'mock',
      proofMode: 'groth16',
      cycles: 0,
    };
    const envelope = makeEnvelope('aggregate-proofs', rangeKey(a, b), result, systemClock);
    await store.create({
      id: envelope.id,
      kind: messageKind('aggregate-proofs'),
      status: 'pending',
      sortKey: sortKeyOf(a),
      data: { envelope, receivedAt: envelope.createdAt },
    });
  }
  const report = await runProposer(deps);
  for (const p of report.proposed) {
    console.log(`proposeL2Output: ${p.gasUsed} gas (L2 block ${p.l2BlockNumber}, ${interval} blocks)`);
  }
  const total = report.proposed.reduce((sum, p) => sum + p.gasUsed, 0n);
  if (report.proposed.length > 0)
    console.log(`mean per proposal: ${total / BigInt(report.proposed.length)} gas`);
} finally {
  await chains.stop();
}
