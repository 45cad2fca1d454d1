import { parseArgs } from 'node:util';
import type { JobFailureFault } from '../stand-ins/job-fault-injector.js';

/** What `npm start` was asked to do. */
export interface StartOptions {
  readonly help: boolean;
  /** Exit 0 once the oracle holds this many proposals. */
  readonly proposals: number | undefined;
  /** undefined: the port of the config's first RPC URL (8545 / 9545 for config/devnet.json). */
  readonly l1Port: number | undefined;
  readonly l2Port: number | undefined;
  /** L2 block time (s); undefined: config `local.l2BlockTimeSeconds`. */
  readonly blockTime: number | undefined;
  /** L1 block time (s); undefined: config `local.l1BlockTimeSeconds`. */
  readonly l1BlockTime: number | undefined;
  readonly fresh: boolean;
  readonly configPath: string;
  readonly stateDirectory: string;
  readonly chainsOnly: boolean;
  readonly attachChains: boolean;
  readonly verbose: boolean;
  readonly progressEverySeconds: number;
  readonly faultDuplicateDelivery: boolean;
  /** `--fault-fail-job-once <name>` (times 1) then `--fault-fail-job-times <name>:<n>`, in that order. */
  readonly faultFailJobs: readonly JobFailureFault[];
  /** Seconds between injected L1 reorgs; undefined: none. */
  readonly faultL1ReorgEverySeconds: number | undefined;
  /** Seconds between injected L2 reorgs; undefined: none. */
  readonly faultL2ReorgEverySeconds: number | undefined;
  /** At most this many injected L1 / L2 reorgs; undefined: no limit. */
  readonly faultL1Reorgs: number | undefined;
  readonly faultL2Reorgs: number | undefined;
  /** Blocks each injected reorg replaces, on either chain. @default 3 */
  readonly faultReorgDepth: number;
  /** The dashboard page's loopback port (0 = any free one); undefined with --no-dashboard. */
  readonly dashboardPort: number | undefined;
}

/** The dashboard's port unless `npm start --dashboard-port` (or `npm run ops -- dashboard --port`) says otherwise. */
export const DEFAULT_DASHBOARD_PORT = 8686;

/** Blocks an injected reorg replaces unless `--fault-reorg-depth` says otherwise. */
export const DEFAULT_FAULT_REORG_DEPTH = 3;

export const START_HELP = `npm start -- [options]

Runs the whole proving pipeline on this machine: anvil L1 (chain 900) and L2 (chain 901) with L2
traffic, the output oracle + mock verifier, local stand-ins for DynamoDB, S3, SQS and Batch, and the
same Lambda handler modules that run on AWS (watcher, dispatcher, job-state, proposer) driven by a
local scheduler, SQS event sources and a local Batch job runner with the mock prover.
Writes <state-dir>/manifest.json (RPC URLs, chain ids, contract addresses) once the chains are up.

Options:
  --proposals <n>          exit 0 once the L1 oracle holds n proposals (default: run until Ctrl-C)
  --l1-port <port>         L1 anvil port (default: the port of the config's L1 RPC URL, 8545; 0 = any free port)
  --l2-port <port>         L2 anvil port (default: the port of the config's L2 RPC URL, 9545; 0 = any free port)
  --block-time <seconds>   L2 block time (default: config local.l2BlockTimeSeconds)
  --l1-block-time <s>      L1 block time (default: config local.l1BlockTimeSeconds)
  --config <file>          pipeline config (default: config/devnet.json)
  --state-dir <dir>        state folder: chains, DynamoDB, S3, SQS and Batch data, manifest, logs (default: .devnet)
  --fresh                  wipe the state folder before starting (otherwise a run resumes the saved one)
  --chains-only            start the chains, write the manifest and wait (for a pipeline run with --attach-chains)
  --attach-chains          use the chains of <state-dir>/manifest.json (started by --chains-only or a test)
                           instead of starting them; the pipeline then resumes its state across restarts
  --progress-every <s>     seconds between progress lines (default 3; 0 = quiet)
  --verbose                show the handlers' INFO logs and EMF metrics
  --dashboard-port <port>  serve the live status page on 127.0.0.1:<port> (default 8686; 0 = any free port);
                           the URL is printed as "dashboard: http://127.0.0.1:<port>/"
  --no-dashboard           do not serve the page (\`npm run ops -- dashboard\` serves it on its own)
  --fault-duplicate-delivery     (testing) SQS delivers every message twice
  --fault-fail-job-once <name>   (testing) the first run of the first Batch job matching <name> fails
                                 ("range-*" matches a prefix); repeatable
  --fault-fail-job-times <name>:<n>  (testing) the first n runs of Batch jobs matching <name> fail (a
                                 retry is a new job, so "aggregate-*:2" fails an aggregate group's
                                 two attempts and, with attempts 2 and onExhausted fail, abandons it); repeatable
  --fault-l1-reorg-every <s>     (testing) every <s> seconds replace the L1's last blocks with a branch
                                 that differs (anvil_reorg; the replaced blocks' transactions are dropped)
  --fault-l2-reorg-every <s>     (testing) the same on the L2 (new block hashes and state roots); with
                                 --config config/devnet-reorgs.json the watcher follows the L2 safe head
                                 (latest - 1 on anvil), so a depth of 2 or more replaces enqueued blocks
  --fault-l1-reorgs <n>          (testing) stop after n injected L1 reorgs (default: no limit)
  --fault-l2-reorgs <n>          (testing) stop after n injected L2 reorgs (default: no limit)
  --fault-reorg-depth <n>        blocks each injected reorg replaces, on either chain (default 3); each
                                 reorg is printed and recorded in <state-dir>/reorgs.json
  -h, --help               this text

Restarts: the chains are saved in <state-dir>/chains/ (anvil state files, written when they stop and
every 5 s). A plain \`npm start\` on a state folder of an earlier run resumes where it stopped: the same
chains (blocks, contracts, proposals; same ports unless --l1-port / --l2-port say otherwise) and the same
pipeline state; nothing is deployed again. --fresh starts over. \`npm start -- --chains-only\` in one
terminal and \`npm start -- --attach-chains\` in another stop and resume the pipeline alone.
Ctrl-C stops everything: handlers, job processes, stand-ins and (unless attached) the chains.`;

/**
 * Parses `npm start` arguments.
 * @throws Error naming the flag and the expected value.
 */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      proposals: { type: 'string' },
      'l1-port': { type: 'string' },
      'l2-port': { type: 'string' },
      'block-time': { type: 'string' },
      'l1-block-time': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      config: { type: 'string', default: 'config/devnet.json' },
      'state-dir': { type: 'string', default: '.devnet' },
      'chains-only': { type: 'boolean', default: false },
      'attach-chains': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'progress-every': { type: 'string', default: '3' },
      'fault-duplicate-delivery': { type: 'boolean', default: false },
      'fault-fail-job-once': { type: 'string', multiple: true, default: [] },
      'fault-fail-job-times': { type: 'string', multiple: true, default: [] },
      'fault-l1-reorg-every': { type: 'string' },
      'fault-l2-reorg-every': { type: 'string' },
      'fault-l1-reorgs': { type: 'string' },
      'fault-l2-reorgs': { type: 'string' },
      'fault-reorg-depth': { type: 'string', default: String(DEFAULT_FAULT_REORG_DEPTH) },
      'dashboard-port': { type: 'string' },
      'no-dashboard': { type: 'boolean', default: false },
    },
  });
  if (values['chains-only'] && values['attach-chains']) {
    throw new Error('--chains-only and --attach-chains exclude each other');
  }
  if (values['no-dashboard'] && values['dashboard-port'] !== undefined) {
    throw new Error('--dashboard-port and --no-dashboard exclude each other');
  }
  const dashboardPort = optionalInteger(values['dashboard-port'], '--dashboard-port', 0);
  if (dashboardPort !== undefined && dashboardPort > 65_535) {
    throw new Error(`--dashboard-port expects a TCP port 0-65535, got "${dashboardPort}"`);
  }
  return {
    help: values.help,
    proposals: optionalInteger(values.proposals, '--proposals', 1),
    l1Port: optionalInteger(values['l1-port'], '--l1-port', 0),
    l2Port: optionalInteger(values['l2-port'], '--l2-port', 0),
    blockTime: optionalInteger(values['block-time'], '--block-time', 1),
    l1BlockTime: optionalInteger(values['l1-block-time'], '--l1-block-time', 1),
    fresh: values.fresh,
    configPath: values.config,
    stateDirectory: values['state-dir'],
    chainsOnly: values['chains-only'],
    attachChains: values['attach-chains'],
    verbose: values.verbose,
    progressEverySeconds: optionalInteger(values['progress-every'], '--progress-every', 0) ?? 3,
    faultDuplicateDelivery: values['fault-duplicate-delivery'],
    faultFailJobs: [
      ...values['fault-fail-job-once'].map((pattern) => ({ pattern, times: 1 })),
      ...values['fault-fail-job-times'].map(jobFailureFaultOf),
    ],
    faultL1ReorgEverySeconds: optionalInteger(values['fault-l1-reorg-every'], '--fault-l1-reorg-every', 1),
    faultL2ReorgEverySeconds: optionalInteger(values['fault-l2-reorg-every'], '--fault-l2-reorg-every', 1),
    faultL1Reorgs: optionalInteger(values['fault-l1-reorgs'], '--fault-l1-reorgs', 1),
    faultL2Reorgs: optionalInteger(values['fault-l2-reorgs'], '--fault-l2-reorgs', 1),
    faultReorgDepth:
      optionalInteger(values['fault-reorg-depth'], '--fault-reorg-depth', 1) ?? DEFAULT_FAULT_REORG_DEPTH,
    dashboardPort: values['no-dashboard'] ? undefined : (dashboardPort ?? DEFAULT_DASHBOARD_PORT),
  };
}

/** `<name>:<n>` of `--fault-fail-job-times`. */
function jobFailureFaultOf(value: string): JobFailureFault {
  const match = /^(.+):(\d+)$/.exec(value);
  if (match === null || Number(match[2]) < 1) {
    throw new Error(
      `--fault-fail-job-times expects <job name or prefix*>:<runs ≥ 1>, e.g. "aggregate-*:2", got "${value}"`,
    );
  }
  return { pattern: match[1] as string, times: Number(match[2]) };
}

function optionalInteger(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new Error(`${flag} expects an integer ≥ ${min}, got "${value}"`);
  }
  return Number(value);
}
