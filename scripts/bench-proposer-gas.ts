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
import { createLocalAccount } from '../lambdas/chain/local-account.js';
import { readOracleState } from '../lambdas/chain/oracle-reads.js';
import { txPolicyFromConfig } from '../lambdas/chain/tx-manager/fee-policy.js';
import { parsePipelineConfig } from '../lambdas/core/config/parse-pipeline-config.js';
import { obtainL1Checkpoint } from '../lambdas/proposer/obtain-l1-checkpoint.js';
import { runProposer } from '../lambdas/proposer/run-proposer.js';
import { inMemoryProposer, mockAggregateResult, recordAggregateMessage } from './in-memory-proposer.js';

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
  const account = createLocalAccount(devAccountRoles.proposer);
  const { deps, store, l2 } = inMemoryProposer(
    {
      config,
      oracleAddress: chains.oracleAddress,
      account,
      rollupConfigHash: keys.rollupConfigHash,
      rpcTimeoutMs: 5000,
      pollIntervalMs: 100,
    },
    { invocationId: 'bench' },
  );
  const { l1, clock, logger } = deps;
  const oracle = await readOracleState(l1, {
    oracleAddress: chains.oracleAddress,
    configName: config.proposer.configName,
    proposer: account.address,
  });
  const tx = {
    store,
    client: l1,
    account,
    chainId: config.chains.l1.chainId,
    policy: txPolicyFromConfig(config.proposer, { pollIntervalMs: 100 }),
    clock,
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
    const result = await mockAggregateResult(
      l2,
      { start: a, end: b },
      {
        l1BlockNumber: checkpoint.checkpoint.l1BlockNumber.toString(),
        l1BlockHash: checkpoint.checkpoint.l1BlockHash,
      },
      account.address,
      keys,
    );
    await recordAggregateMessage(store, result);
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
