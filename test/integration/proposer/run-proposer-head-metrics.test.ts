import { createPublicClient, createTestClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../lambdas/core/ports/telemetry.js';
import { runProposer } from '../../../lambdas/proposer/run-proposer.js';
import { proposerHarness } from './proposer-fixture.js';
import { oracleRead, useProposerChains } from './run-proposer-fixture.js';

/** Blocks mined past the oracle's head: more than anvil's distance from latest to `finalized`. */
const AHEAD = 150n;

describe('runProposer: head and lag metrics', () => {
  const chains = useProposerChains();

  it('emits the oracle head and the lag to the L2 head on a run that proposes nothing', async () => {
    // Prepare: L2 well past the oracle's head, nothing to propose
    const harness = proposerHarness(chains());
    const oracleHead = await oracleRead(chains(), 'latestBlockNumber');
    // Two seconds apart: blocks mined in one burst may otherwise share a timestamp (lag 0 s).
    const l2Test = createTestClient({ mode: 'anvil', transport: http(chains().l2.rpcUrl) });
    const l2Now = await harness.l2.getBlockNumber({ cacheTime: 0 });
    await l2Test.mine({ blocks: Math.max(1, Number(oracleHead + AHEAD - l2Now)), interval: 2 });
    const finality = harness.deps.config.chains.l2.finality;
    // The dev L2 may mine on its own meanwhile: the head the run saw lies between these two reads.
    const before = await harness.l2.getBlock({ blockTag: finality });
    // Act
    const report = await runProposer(harness.deps);
    // Assess: the expected lag, read from L2 at the configured finality
    const after = await harness.l2.getBlock({ blockTag: finality });
    const proposedBlock = await harness.l2.getBlock({ blockNumber: oracleHead });
    expect(report.proposed).toEqual([]);
    expect(before.number).toBeGreaterThan(oracleHead);
    expect(harness.metrics.lastGauge(METRIC.proposedHead)).toBe(Number(oracleHead));
    const lagBlocks = harness.metrics.lastGauge(METRIC.proposalLagBlocks);
    expect(lagBlocks).toBeGreaterThanOrEqual(Number(before.number - oracleHead));
    expect(lagBlocks).toBeLessThanOrEqual(Number(after.number - oracleHead));
    const lagSeconds = harness.metrics.lastGauge(METRIC.proposalLagSeconds);
    expect(lagSeconds).toBeGreaterThanOrEqual(Number(before.timestamp - proposedBlock.timestamp));
    expect(lagSeconds).toBeLessThanOrEqual(Number(after.timestamp - proposedBlock.timestamp));
    expect(lagSeconds).toBeGreaterThan(0);
  });

  it('still reports the oracle head and finishes the run when L2 cannot be read, leaving the lag out', async () => {
    // Prepare: an L2 client whose endpoint refuses connections
    const deadL2 = createPublicClient({
      transport: http('http://127.0.0.1:9', { retryCount: 0, timeout: 2000 }),
    });
    const harness = proposerHarness(chains(), { l2: deadL2 });
    const oracleHead = await oracleRead(chains(), 'latestBlockNumber');
    // Act
    const report = await runProposer(harness.deps);
    // Assess
    expect(report.outcome).toBe('done');
    expect(harness.metrics.lastGauge(METRIC.proposedHead)).toBe(Number(oracleHead));
    expect(harness.metrics.lastGauge(METRIC.proposalLagBlocks)).toBeUndefined();
    expect(harness.logger.at('warn').map((entry) => entry.message)).toContain(
      'proposer: could not read the L2 head; proposal lag not reported for this run',
    );
  });
});
