import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineError } from '../lambdas/core/errors.js';
import { bigintToDecimal } from '../lambdas/core/json/bigint-replacer.js';
import { OPS_HELP, type OpsArguments, parseOpsArguments } from './cli-arguments.js';
import { serveDashboard } from './commands/dashboard/serve-dashboard.js';
import { opsContext } from './context/ops-context.js';
import { runOpsCommand } from './run-ops-command.js';
import { awsTarget } from './target/aws-target.js';
import { localTarget } from './target/local-target.js';
import type { OpsTarget } from './target/ops-target.js';

/** Where the CLI writes, and what stops `--watch` (Ctrl-C in the entry point). */
export interface OpsIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/**
 * The operator CLI: parses `argv`, reaches the target (the local run, or a deployed stack with
 * `--config`), runs the command and prints its table or JSON. Returns the exit code: 0 done, 1 the
 * command was refused or failed (the message on stderr, and as `{ "error" }` with `--json`), 2 bad usage.
 */
export async function runOpsCli(argv: readonly string[], io: OpsIo): Promise<number> {
  let args: OpsArguments;
  try {
    args = parseOpsArguments(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 2;
  }
  if (args.help || args.words.length === 0) {
    io.stdout(`${OPS_HELP}\n`);
    return args.help ? 0 : 2;
  }
  const json = (value: unknown): string => `${JSON.stringify(value, bigintToDecimal, 2)}\n`;
  try {
    const target = await targetOf(args, io.env);
    const context = opsContext(target, args.by ?? userInfo().username, io.stderr);
    try {
      if (args.words[0] === 'dashboard')
        return await serveDashboard(context, { port: args.port, everySeconds: args.everySeconds }, io);
      if (!args.watch) {
        const result = await runOpsCommand(context, args);
        io.stdout(args.json ? json(result.value) : `${result.text}\n`);
        return 0;
      }
      while (io.signal?.aborted !== true) {
        const result = await runOpsCommand(context, args);
        // Home and clear screen, then the fresh table: it refreshes in place.
        io.stdout(
          args.json
            ? JSON.stringify(result.value, bigintToDecimal).concat('\n')
            : `\x1b[H\x1b[2J${result.text}\n`,
        );
        await sleep(args.everySeconds * 1000, undefined, { signal: io.signal }).catch(() => undefined);
      }
      return 0;
    } finally {
      context.sqs.destroy();
    }
  } catch (error) {
    const message =
      error instanceof PipelineError
        ? error.message
        : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    io.stderr(`error: ${message}\n`);
    if (args.json) io.stdout(json({ error: message }));
    return 1;
  }
}

function targetOf(args: OpsArguments, env: NodeJS.ProcessEnv): Promise<OpsTarget> {
  if (args.configPath === undefined) return localTarget(args.stateDirectory);
  return awsTarget({ configPath: args.configPath, stateTable: args.table, artifactBucket: args.bucket, env });
}
