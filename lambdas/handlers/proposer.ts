import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Address, Hex } from 'viem';
import { ConfigError } from '../core/errors.js';
import { bigintToDecimal } from '../core/json/bigint-replacer.js';
import { proposerGateway } from '../core/orchestrator/proposer-gateway.js';
import { runProposer } from '../proposer/run-proposer.js';
import { wrapLambdaHandler } from './lambda-middleware.js';
import { coldStartProposerRuntime, type ProposerRuntime } from './proposer-root.js';

/** Time left for returning (and flushing metrics) after the proposer's run deadline. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * The proposer handler (EventBridge schedule, reserved concurrency 1): one proposer run with the
 * KMS-held signer (the anvil dev account when `proposer.signer.kind` is `anvil-dev`): checkpoint
 * an L1 block for aggregate groups waiting on one, then propose the aggregate that continues the
 * oracle. Returns the run report with block numbers as decimal strings.
 */
export function createProposerHandler(runtime: () => ProposerRuntime) {
  return wrapLambdaHandler(
    async (_event: ScheduledEvent, context: Context): Promise<Record<string, unknown>> => {
      const rt = runtime();
      const oracleAddress = rt.config.chains.l1.oracleAddress;
      if (oracleAddress === undefined) {
        throw new ConfigError('pipeline config', [
          'chains.l1.oracleAddress: expected the L1 output oracle address (got nothing)',
        ]);
      }
      const orchestrator = rt.orchestrator();
      const [l1, l2, account] = await Promise.all([
        rt.publicClient('l1'),
        rt.publicClient('l2'),
        rt.proposerAccount(),
      ]);
      const report = await runProposer({
        config: rt.config,
        store: orchestrator.store,
        blobs: orchestrator.blobs,
        l1,
        l2,
        account,
        // The config schema checked the 20-byte hex shape.
        oracleAddress: oracleAddress as Address,
        // handler-environment.ts checked the 0x-prefixed 32-byte shape.
        rollupConfigHash: rt.rollupConfigHash() as Hex,
        orchestrator: proposerGateway(orchestrator),
        logger: rt.logger,
        metrics: rt.metrics,
        clock: rt.clock,
        invocationId: context.awsRequestId,
        deadline: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
      });
      return JSON.parse(JSON.stringify(report, bigintToDecimal));
    },
  );
}

export const handler = createProposerHandler(coldStartProposerRuntime);
