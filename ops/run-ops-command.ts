import { DEAD_LETTER_QUEUE_SUFFIX } from '../lambdas/core/config/pipeline-resource-names.js';
import type { OpsArguments } from './cli-arguments.js';
import { listDeadLetters, replayDeadLetters } from './commands/dlq/dead-letter-queue.js';
import { formatJobEventReplay, replayJobEvent } from './commands/events/replay-job-event.js';
import { formatGroupList, listGroups } from './commands/groups/list-groups.js';
import { type GroupMoveAction, moveGroup } from './commands/groups/move-group.js';
import { formatGroupDetails, showGroup } from './commands/groups/show-group.js';
import { formatPauseMove, pauseTarget, resumeTarget } from './commands/pause/pause-switches.js';
import { proveRange } from './commands/prove-range/prove-range.js';
import { formatStatus } from './commands/status/format-status.js';
import { readStatus } from './commands/status/read-status.js';
import type { OpsContext } from './context/ops-context.js';
import { formatTable } from './output/format-table.js';
import { OpsError } from './output/ops-error.js';

/** A command's answer: the value `--json` prints, and the table otherwise. */
export interface CommandResult {
  readonly value: unknown;
  readonly text: string;
}

/**
 * Runs the command the words name against the context.
 * @throws OpsError for an unknown command or a missing argument (with the usage of that command).
 */
export async function runOpsCommand(context: OpsContext, args: OpsArguments): Promise<CommandResult> {
  const [command, sub, ...rest] = args.words;
  const { deps } = context;
  const need = (value: string | undefined, usage: string): string => {
    if (value === undefined || value === '') throw new OpsError(`missing argument: ${usage}`);
    return value;
  };
  switch (command) {
    case 'status': {
      const status = await readStatus(context);
      return { value: status, text: formatStatus(status) };
    }
    case 'groups': {
      if (sub !== 'list')
        throw new OpsError(`unknown command "groups ${sub ?? ''}": groups list [--stage S] [--status X]`);
      const groups = await listGroups(deps, { stage: args.stage, status: args.status });
      return { value: groups, text: formatGroupList(groups) };
    }
    case 'group': {
      const id = need(rest[0], `group ${sub ?? '<show|retry|bisect|abandon>'} <id>`);
      if (sub === 'show') {
        const details = await showGroup(deps, id);
        return { value: details, text: formatGroupDetails(details) };
      }
      if (sub === 'retry' || sub === 'bisect' || sub === 'abandon') {
        const outcome = await moveGroup(deps, {
          action: sub as GroupMoveAction,
          id,
          by: context.operator,
          reason: args.reason,
        });
        const children = outcome.children === undefined ? '' : ` (children ${outcome.children.join(', ')})`;
        return {
          value: outcome,
          text: `${outcome.action} ${outcome.groupId}: ${outcome.from} → ${outcome.to}${children}, by ${outcome.by} at ${outcome.at}`,
        };
      }
      throw new OpsError(`unknown command "group ${sub}": group show|retry|bisect|abandon <id>`);
    }
    case 'dlq': {
      const topic = topicOf(context, need(rest[0], `dlq ${sub ?? '<list|replay>'} <topic>`));
      const dlq = context.target.deadLetterQueueUrls[topic];
      const queue = JSON.parse(context.target.handlerEnvironment.TOPIC_QUEUE_URLS ?? '{}')[topic] as
        | string
        | undefined;
      if (dlq === undefined || queue === undefined)
        throw new OpsError(
          `unknown topic "${topic}": the pipeline's topics are ${Object.keys(context.target.deadLetterQueueUrls).join(', ')}`,
        );
      if (sub !== 'list' && sub !== 'replay')
        throw new OpsError(`unknown command "dlq ${sub}": dlq list|replay <topic>`);
      const letters =
        sub === 'list'
          ? await listDeadLetters(context.sqs, dlq, args.limit)
          : await replayDeadLetters(context.sqs, dlq, queue, args.limit);
      const table = formatTable(
        ['message', 'envelope', 'receives', 'sent at'],
        letters.map((letter) => [
          letter.messageId,
          letter.envelopeId,
          String(letter.receiveCount),
          letter.sentAt,
        ]),
      );
      return {
        value: { topic, action: sub, messages: letters },
        text:
          sub === 'list' ? table : `replayed ${letters.length} message(s) of ${topic} to its queue\n${table}`,
      };
    }
    case 'pause':
    case 'resume': {
      const request = {
        target: need(sub, `${command} <watcher|proposer|stage>${command === 'pause' ? ' --reason "…"' : ''}`),
        by: context.operator,
        reason: args.reason,
      };
      const outcome =
        command === 'pause' ? await pauseTarget(deps, request) : await resumeTarget(deps, request);
      return { value: outcome, text: formatPauseMove(outcome) };
    }
    case 'events': {
      if (sub !== 'replay' || args.job === undefined)
        throw new OpsError(`unknown command "events ${sub ?? ''}": events replay --job <name>`);
      const replay = await replayJobEvent(deps, context.runtime.logger, args.job);
      return { value: replay, text: formatJobEventReplay(replay) };
    }
    case 'prove-range': {
      const start = blockOf(need(sub, 'prove-range <start> <end> [--stage S]'), 'start');
      const end = blockOf(need(rest[0], 'prove-range <start> <end> [--stage S]'), 'end');
      const outcome = await proveRange(deps, { start, end, stage: args.stage, by: context.operator });
      return {
        value: outcome,
        text: `group ${outcome.groupId} over blocks ${start + 1n}-${end} (${outcome.members.length} members): ${outcome.status}`,
      };
    }
    default:
      throw new OpsError(`unknown command "${command ?? ''}": see --help`);
  }
}

/** A topic named as such, or by its queue or dead-letter queue name. */
function topicOf(context: OpsContext, name: string): string {
  const prefix = `${context.target.config.name}-`;
  const bare = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return bare.endsWith(DEAD_LETTER_QUEUE_SUFFIX) ? bare.slice(0, -DEAD_LETTER_QUEUE_SUFFIX.length) : bare;
}

function blockOf(raw: string, what: string): bigint {
  if (!/^(0|[1-9]\d*)$/.test(raw))
    throw new OpsError(`prove-range: <${what}> must be a decimal L2 block number (got "${raw}")`);
  return BigInt(raw);
}
