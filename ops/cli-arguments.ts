import { parseArgs } from 'node:util';
import { DEFAULT_DASHBOARD_PORT } from '../devnet/runtime/start-options.js';
import { OpsError } from './output/ops-error.js';

/** The CLI's usage text (`--help`). */
export const OPS_HELP = `npm run ops -- <command> [options]   (also: zk-rollup-ops <command>)

commands:
  status                              heads and lags, groups per stage, waits, DLQs, proposer, breakers
  groups list [--stage S] [--status X]
  group show <id>                     members, jobs, errors with the prover's stderr, bisection, checkpoint
  group retry <id>                    failed|abandoned → retried (a new attempt)
  group bisect <id>                   failed → split (two children, handed over)
  group abandon <id> --reason "…"     failed → abandoned
  pause <watcher|proposer|stage> --reason "…"   hold that work back (a stored switch the handlers honour)
  resume <watcher|proposer|stage>     clear the switch; paused work goes on
  dlq list <topic>                    dead-lettered messages of a topic's queue
  dlq replay <topic>                  move them back to the topic's queue (handled ones are duplicates)
  events replay --job NAME            re-feed a job's state event from the job runner (handled: no-op)
  prove-range <start> <end> [--stage S]   submit one group over blocks start+1 … end by hand
  dashboard [--port P] [--every S]    serve the live status page on 127.0.0.1:P (default 8686; 0 = any
                                      free port), read every S seconds; runs until Ctrl-C

target (default: the local run in .devnet/):
  --state-dir DIR        the local run's state folder (npm start --state-dir)
  --config FILE          a deployed stack of this pipeline config (standard AWS credentials and region)
  --table NAME, --bucket NAME   its state table and artifact bucket (or STATE_TABLE_NAME, ARTIFACT_BUCKET_NAME)

options:
  --json                 print JSON instead of tables
  --watch, --every S     status: refresh in place every S seconds (default 5; also the dashboard's pace)
  --port P               dashboard: the loopback port (default 8686; 0 = any free port)
  --by NAME              who acts (recorded with every move; default: the OS user)
  --limit N              dlq: at most N messages (default 100)`;

/** The parsed command line. */
export interface OpsArguments {
  readonly words: readonly string[];
  readonly help: boolean;
  readonly json: boolean;
  readonly watch: boolean;
  readonly everySeconds: number;
  readonly stateDirectory: string;
  readonly configPath?: string | undefined;
  readonly table?: string | undefined;
  readonly bucket?: string | undefined;
  readonly by?: string | undefined;
  readonly stage?: string | undefined;
  readonly status?: string | undefined;
  readonly reason?: string | undefined;
  /** events replay: the job's name. */
  readonly job?: string | undefined;
  readonly limit: number;
  /** dashboard: the loopback port (0 = any free port). */
  readonly port: number;
}

/**
 * Parses the CLI's argv (without node and the script).
 * @throws OpsError naming the unknown option or the bad number.
 */
export function parseOpsArguments(argv: readonly string[]): OpsArguments {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new OpsError(`${(error as Error).message}; see --help`);
  }
  const { values, positionals } = parsed;
  const number = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new OpsError(`--${name}: expected a whole number ≥ 1 (got "${raw}")`);
    return value;
  };
  return {
    words: positionals,
    help: values.help === true,
    json: values.json === true,
    watch: values.watch === true,
    everySeconds: number('every', values.every, 5),
    stateDirectory: values['state-dir'] ?? '.devnet',
    configPath: values.config,
    table: values.table,
    bucket: values.bucket,
    by: values.by,
    stage: values.stage,
    status: values.status,
    reason: values.reason,
    job: values.job,
    limit: number('limit', values.limit, 100),
    port: portOf(values.port),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      every: { type: 'string' },
      'state-dir': { type: 'string' },
      config: { type: 'string' },
      table: { type: 'string' },
      bucket: { type: 'string' },
      by: { type: 'string' },
      stage: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      job: { type: 'string' },
      limit: { type: 'string' },
      port: { type: 'string' },
    },
  });
}

/** The dashboard's port: 0 (any free one) to 65535, default 8686. */
function portOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_DASHBOARD_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535)
    throw new OpsError(`--port: expected a TCP port 0-65535 (0 = any free port), got "${raw}"`);
  return port;
}
