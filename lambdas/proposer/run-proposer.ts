import { type Address, formatEther } from 'viem';
import { readOracleState } from '../chain/oracle-reads.js';
import { txPolicyFromConfig } from '../chain/tx-manager/fee-policy.js';
import { resumeOpenTransactions } from '../chain/tx-manager/resume-open-transactions.js';
import { acquireSignerLease, releaseSignerLease, signerLeaseId } from '../chain/tx-manager/signer-lease.js';
import { TX_KIND } from '../chain/tx-manager/tx-record.js';
import type { TxManagerDeps } from '../chain/tx-manager/types.js';
import { PROPOSER_LEASE_MARGIN_SECONDS } from '../core/config/proposer-timing-checks.js';
import { pauseId } from '../core/control/pause-switch.js';
import { RunReads } from '../core/orchestrator/setup/run-reads.js';
import { METRIC } from '../core/ports/telemetry.js';
import { CHECKPOINT_KIND } from './checkpoint-records.js';
import { type OracleExpectations, oracleReadiness } from './oracle-readiness.js';
import { PROPOSAL_KIND } from './proposal-records.js';
import { proposeReadyAggregates } from './propose-aggregates.js';
import type { ProposerDeps, ProposerRunReport } from './proposer-deps.js';
import { emitProposalHeadMetrics } from './proposer-head-metrics.js';
import { pausedProposerReport } from './proposer-pause.js';
import { proposalErrorsAbi } from './proposer-run-context.js';
import { proposerWaitId, recordProposerWait } from './proposer-wait.js';
import { reconcileWithL1 } from './reconcile-with-l1.js';
import { RunListings } from './run-listings.js';
import { decodeListingsHandover, encodeListingsHandover } from './run-listings-handover.js';
import { serveCheckpointRequests } from './serve-checkpoint-requests.js';

/**
 * One scheduled proposer run (handler-ready; the Lambda wrapper only builds `deps` and logs the
 * report):
 *
 * 1. `pause/proposer` set → `paused`: nothing sent, no lease taken, nothing written
 *    (`pausedProposerReport`); else take the signer lease (`lease/<address>`); another invocation
 *    holding it → `busy`, nothing sent;
 * 2. read the oracle (latest/next block, submission interval, the config entry of
 *    `keccak256(configName)`, `approvedProposers`, verifier, dispute-game factory); refuse to run if
 *    the signer is not approved, the config is missing, the verifier, rollup config hash or program
 *    vkeys (`proposer.expectedVkeys`) are not the expected ones, or a dispute-game factory is set (`oracleReadiness` names the error); in optimistic
 *    mode serve checkpoints but propose nothing (`oracleReadiness`); either way record the wait on
 *    `proposer-wait/<signer>` and the `ProposerWaiting` gauge (`recordProposerWait`);
 * 3. reconcile stored checkpoints and `proposed` proposals with L1 (`reconcileWithL1`): a
 *    checkpoint an L1 reorg took off is set aside, a proposal the oracle no longer holds at depth
 *    `confirmations` goes back to be proposed again; then settle transactions
 *    a previous run left open or a reorg took off (re-broadcast, bump, or recognise as mined);
 * 4. serve checkpoint requests of aggregate groups (`serveCheckpointRequests`);
 * 5. propose ready aggregate proofs in order (`proposeReadyAggregates`);
 * 6. once the oracle was read, whatever happened next: report its head and the proposal lag
 *    (`emitProposalHeadMetrics`); release the lease.
 *
 * Metrics: ProposerBalanceEth, ProposedHeadBlock, ProposalLagBlocks, ProposalLagSeconds,
 * ProposalGasUsed, Proposals{outcome}, Reproposals, ReorgsDetected{chain: l1},
 * ReorgWorkInvalidated{kind: proposal|checkpoint}.
 *
 * @throws ProposerNotApprovedError | OracleConfigMissingError | OracleVerifierMismatchError |
 * OracleRollupConfigMismatchError | OracleDisputeGameFactoryError, and infrastructure errors (RPC, store).
 */
export async function runProposer(sharedDeps: ProposerDeps): Promise<ProposerRunReport> {
  // The signer lease (read before its one conditional write), the pause switch and the wait item: one batch read.
  const signer = sharedDeps.account.address;
  const reads = [signerLeaseId(signer), pauseId({ kind: 'proposer' }), proposerWaitId(signer)];
  const deps = { ...sharedDeps, store: new RunReads(sharedDeps.store, reads) };
  const { config, store, clock, account, logger, metrics, l1, oracleAddress } = deps;
  // Before the lease: a paused run sends nothing, so it takes no lease and writes nothing.
  const paused = await pausedProposerReport(deps);
  if (paused !== undefined) return paused;
  const acquired = await acquireSignerLease(store, {
    signer: account.address,
    owner: deps.invocationId,
    leaseSeconds: config.proposer.leaseSeconds,
    clock,
  });
  if (acquired.status === 'busy') {
    logger.info('proposer: another invocation holds the signer lease; nothing to do', {
      owner: acquired.owner,
      expiresAt: acquired.expiresAt.toISOString(),
    });
    return {
      outcome: 'busy',
      busyOwner: acquired.owner,
      groupsSubmitted: [],
      proposed: [],
      skipped: [],
      waiting: [],
      refused: [],
    };
  }
  let oracleHead: bigint | undefined;
  // Under the lease: what only the lease holder writes is listed once, or taken over from the
  // previous holder's release (`RunListings`).
  const listings = new RunListings(
    store,
    [TX_KIND, CHECKPOINT_KIND, PROPOSAL_KIND],
    decodeListingsHandover(acquired.handover, { logger, leaseId: acquired.lease.id }),
  );
  const runDeps: ProposerDeps = { ...deps, store: listings };
  try {
    const deadline = Math.min(
      deps.deadline ?? Number.POSITIVE_INFINITY,
      acquired.lease.expiresAt.getTime() - PROPOSER_LEASE_MARGIN_SECONDS * 1000,
    );
    const tx: TxManagerDeps = {
      store: listings,
      client: l1,
      account,
      chainId: config.chains.l1.chainId,
      policy: txPolicyFromConfig(
        config.proposer,
        deps.pollIntervalMs === undefined ? {} : { pollIntervalMs: deps.pollIntervalMs },
      ),
      clock,
      logger,
    };
    const oracle = await readOracleState(l1, {
      oracleAddress,
      configName: config.proposer.configName,
      proposer: account.address,
    });
    oracleHead = oracle.latestBlockNumber;
    const readiness = oracleReadiness(oracle, {
      signer: account.address,
      oracleAddress,
      configName: config.proposer.configName,
      expected: {
        verifierAddress: config.chains.l1.verifierAddress as Address | undefined,
        rollupConfigHash: deps.rollupConfigHash,
        vkeys: config.proposer.expectedVkeys as OracleExpectations['vkeys'],
      },
    });
    await recordProposerWait(
      deps,
      account.address,
      readiness.kind === 'ready'
        ? undefined
        : {
            reason: readiness.reason,
            message:
              readiness.kind === 'refused'
                ? `${readiness.error.message}; ${readiness.error.details ?? ''}`
                : readiness.message,
          },
    );
    if (readiness.kind === 'refused') throw readiness.error;
    if (oracle.submissionInterval !== BigInt(config.proposer.submissionInterval)) {
      logger.warn('proposer: config submissionInterval differs from the oracle; the oracle decides', {
        config: config.proposer.submissionInterval,
        oracle: oracle.submissionInterval.toString(),
      });
    }
    const balance = await l1.getBalance({ address: account.address });
    metrics.gauge(METRIC.proposerBalanceEth, Number(formatEther(balance)));

    const reorged = await reconcileWithL1({ deps: runDeps, tx, oracle, deadline });
    const resumed = await resumeOpenTransactions(tx, { deadline, abi: proposalErrorsAbi });
    const stuck = resumed.find((o) => o.status === 'pending' || o.status === 'gave-up-at-fee-cap');
    const base = { outcome: 'done' as const, latestBlockNumber: oracle.latestBlockNumber };
    if (stuck !== undefined) {
      return {
        ...base,
        groupsSubmitted: [],
        proposed: [],
        skipped: [],
        waiting: [],
        refused: [],
        unfinishedTx: stuck,
      };
    }

    // A resumed (or re-sent, reorged-out) proposal may have moved the oracle since it was read.
    const current =
      resumed.length > 0 || reorged.proposals.length > 0
        ? await readOracleState(l1, {
            oracleAddress,
            configName: config.proposer.configName,
            proposer: account.address,
          })
        : oracle;
    const run = { deps: runDeps, tx, oracle: current, deadline, checkpoints: reorged.listedCheckpoints };
    const serving = await serveCheckpointRequests(run);
    const proposing =
      readiness.kind === 'ready'
        ? await proposeReadyAggregates(run)
        : {
            latestBlockNumber: oracle.latestBlockNumber,
            proposed: [],
            skipped: [],
            waiting: [],
            refused: [],
          };
    oracleHead = proposing.latestBlockNumber;
    const unfinishedTx = proposing.unfinishedTx ?? serving.unfinishedTx;
    return {
      ...base,
      latestBlockNumber: proposing.latestBlockNumber,
      ...(serving.checkpoint === undefined ? {} : { checkpoint: serving.checkpoint }),
      groupsSubmitted: serving.groupsSubmitted,
      proposed: proposing.proposed,
      skipped: proposing.skipped,
      waiting: proposing.waiting,
      refused: proposing.refused,
      ...(readiness.kind === 'proposals-paused' ? { proposalsPaused: readiness.reason } : {}),
      ...(unfinishedTx === undefined ? {} : { unfinishedTx }),
    };
  } finally {
    if (oracleHead !== undefined) await emitProposalHeadMetrics(deps, oracleHead);
    await releaseSignerLease(store, acquired.lease, encodeListingsHandover(listings.handover()));
  }
}
