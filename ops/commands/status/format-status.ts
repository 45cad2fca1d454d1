import { formatEther } from 'viem';
import { formatTable } from '../../output/format-table.js';
import type { PipelineStatus } from './read-status.js';
import { describeStageBudget } from './stage-budget.js';

const shown = (value: bigint | number | string | undefined): string =>
  value === undefined ? '-' : String(value);

/** The status as compact tables, one section per concern. */
export function formatStatus(status: PipelineStatus): string {
  const { l2, proposer } = status;
  const waits = [
    ...status.pauses.map((pause) => [
      pause.itemId,
      `paused (${pause.target})`,
      `${pause.reason} (by ${pause.by}, ${pause.setter}, since ${pause.since})`,
    ]),
    ...proposer.waits.map((wait) => [wait.id, wait.reason, `${wait.message} (since ${wait.since})`]),
    ...status.stages.flatMap((stage) => stage.waits.map((wait) => [wait.id, wait.status, wait.reason])),
    ...status.stages.flatMap(({ budget }) =>
      budget?.waiting === undefined
        ? []
        : [[budget.itemId, 'budget-waiting', `${budget.waiting.reason} (since ${budget.waiting.since})`]],
    ),
  ];
  const sections = [
    `${status.target} at ${status.at}`,
    `L2 latest ${l2.latest.block} | safe ${l2.safe.block} | finalized ${l2.finalized.block}`,
    formatTable(
      ['head', 'block', 'lag blocks', 'lag seconds'],
      status.heads.map((head) => [
        head.name,
        shown(head.block),
        shown(head.lagBlocks),
        shown(head.lagSeconds),
      ]),
    ),
    formatTable(
      ['stage', 'groups', 'oldest open group', 'breaker', 'budget today'],
      status.stages.map((stage) => [
        stage.stage,
        Object.entries(stage.groups)
          .map(([state, count]) => `${count} ${state}`)
          .join(', ') || 'none',
        stage.oldestOpen === undefined
          ? '-'
          : `${stage.oldestOpen.id} ${stage.oldestOpen.status} for ${stage.oldestOpen.ageSeconds} s`,
        stage.breaker.status + (stage.breaker.reason === undefined ? '' : `: ${stage.breaker.reason}`),
        describeStageBudget(stage.budget),
      ]),
    ),
    `waiting on a person:\n${formatTable(['item', 'status', 'reason'], waits)}`,
    `dead-letter queues: ${
      Object.entries(status.deadLetterQueues)
        .map(([topic, depth]) => `${topic} ${depth}`)
        .join(', ') || 'none'
    }`,
    `proposer ${proposer.address}: balance ${formatEther(proposer.balanceWei)} ETH, lease ${
      proposer.leases.map((lease) => `${lease.owner} until ${lease.expiresAt}`).join(', ') || 'free'
    }`,
    `open transactions:\n${formatTable(
      ['tx', 'nonce', 'intent', 'hash', 'max fee (wei)', 'sent at'],
      proposer.openTransactions.map((tx) => [
        tx.id,
        String(tx.nonce),
        tx.intentId,
        tx.hash,
        String(tx.maxFeePerGas),
        tx.sentAt,
      ]),
    )}`,
  ];
  return sections.join('\n\n');
}
