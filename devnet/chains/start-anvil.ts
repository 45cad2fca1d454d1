import { spawn } from 'node:child_process';
import { anvilBinaryPath } from './anvil-binary.js';
import { reapOnExit } from './child-process-reaper.js';
import { DevChainError } from './errors.js';

export interface StartAnvilOptions {
  /** Loopback port; 0 or undefined lets the OS pick a free one. */
  readonly port?: number;
  readonly chainId: number;
  /** Seconds between blocks; undefined mines one block per transaction (automine). */
  readonly blockTimeSeconds?: number;
  /**
   * Slots per epoch; `safe` and `finalized` lag `latest` by one and two epochs.
   * @default 1 (safe = latest-1, finalized = latest-2)
   */
  readonly slotsInAnEpoch?: number;
  /** Run with OP-stack features (`--optimism`), for the L2. @default false */
  readonly optimism?: boolean;
  /** Further anvil arguments, e.g. `['--hardfork', 'cancun']`. */
  readonly extraArgs?: readonly string[];
  /** Milliseconds to wait for the node to answer `eth_chainId`. @default 20000 */
  readonly readyTimeoutMs?: number;
  /**
   * Persists the chain in this JSON file (anvil `--state`): loaded on start when it exists (blocks,
   * receipts, block number and timestamps continue from it), written when the node stops
   * (SIGTERM / SIGINT) and every `stateIntervalSeconds`. Historical states are kept in the file
   * (`--preserve-historical-states`), so blocks below the saved head still answer state queries such as
   * `eth_getProof` after a restart. With `blockTimeSeconds` anvil 1.7 keeps the state of every block (its
   * `--prune-history` bound does not apply to interval mining), so the file grows with the chain: about
   * 100 MB for L1 + L2 after 640 one-second blocks of the devnet.
   *
   * A persisted node runs in its own process group, so a Ctrl-C in the terminal does not reach it
   * before its owner stops it; `stop()` gives it time to write the file. If this process exits without
   * `stop()`, the node gets SIGTERM (it writes the file and exits by itself); on SIGINT / SIGTERM it
   * gets SIGTERM too, unless this process handles the signal itself: then the handler must call `stop()`.
   */
  readonly stateFile?: string;
  /** Seconds between periodic writes of `stateFile` (a crash loses at most this much). @default 5 */
  readonly stateIntervalSeconds?: number;
}

export interface AnvilInstance {
  /** `http://127.0.0.1:<port>` */
  readonly rpcUrl: string;
  readonly port: number;
  readonly chainId: number;
  /** Process id of the anvil process (for diagnostics and leak checks). */
  readonly pid: number;
  /** The file the chain persists in (`StartAnvilOptions.stateFile`), if any. */
  readonly stateFile: string | undefined;
  /**
   * Stops the node: SIGTERM, then SIGKILL after 3 s (15 s for a persisted node, which writes its state
   * file on SIGTERM). Idempotent.
   */
  stop(): Promise<void>;
}

const listeningLine = /Listening on ([\d.]+):(\d+)/;
const stopGraceMs = 3_000;
const persistedStopGraceMs = 15_000;

async function answersChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result === undefined ? undefined : Number(BigInt(body.result));
  } catch {
    return undefined;
  }
}

/**
 * Starts an anvil node from this repo's `@foundry-rs/anvil` package on 127.0.0.1 and resolves once it
 * answers `eth_chainId`. The node is killed by `stop()`, and also when this process exits or receives
 * SIGINT / SIGTERM.
 *
 * anvil prints the dev accounts' private keys on stdout: the output is consumed here and never echoed.
 *
 * @example
 * const l2 = await startAnvil({ chainId: 901, blockTimeSeconds: 1, optimism: true });
 * try { ... } finally { await l2.stop(); }
 */
export async function startAnvil(options: StartAnvilOptions): Promise<AnvilInstance> {
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--chain-id',
    String(options.chainId),
    '--slots-in-an-epoch',
    String(options.slotsInAnEpoch ?? 1),
    ...(options.blockTimeSeconds === undefined ? [] : ['--block-time', String(options.blockTimeSeconds)]),
    ...(options.optimism === true ? ['--optimism'] : []),
    ...(options.stateFile === undefined
      ? []
      : [
          '--state',
          options.stateFile,
          '--state-interval',
          String(options.stateIntervalSeconds ?? 5),
          '--preserve-historical-states',
        ]),
    ...(options.extraArgs ?? []),
  ];
  const persisted = options.stateFile !== undefined;
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: persisted });
  // A persisted node gets SIGTERM (it writes its state file, then exits by itself) and is left to this
  // process's own signal handler, which stops it in order.
  reapOnExit(child, persisted ? { signal: 'SIGTERM', deferToSignalHandlers: true } : {});

  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2_000);
  });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), persisted ? persistedStopGraceMs : stopGraceMs);
    await exited;
    clearTimeout(timer);
  };

  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let stdoutHead: string | undefined = '';
      const timer = setTimeout(
        () => reject(new Error(`no "Listening on" line within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      child.stdout.setEncoding('utf8');
      // Keeps draining stdout after start-up too, so that anvil never blocks on a full pipe.
      child.stdout.on('data', (chunk: string) => {
        if (stdoutHead === undefined) return;
        stdoutHead += chunk;
        const match = listeningLine.exec(stdoutHead);
        if (match !== null) {
          clearTimeout(timer);
          stdoutHead = undefined;
          resolve(Number(match[2]));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`anvil exited during start-up (code ${code}, signal ${signal})`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const rpcUrl = `http://127.0.0.1:${port}`;
    for (;;) {
      const chainId = await answersChainId(rpcUrl);
      if (chainId === options.chainId) break;
      if (chainId !== undefined) throw new Error(`answers chain id ${chainId}, expected ${options.chainId}`);
      if (Date.now() > deadline)
        throw new Error(`${rpcUrl} did not answer eth_chainId within ${readyTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Neither the process nor its pipes should keep this process alive; the reaper kills anvil on exit.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as unknown as { unref?: () => void }).unref?.();
    return {
      rpcUrl,
      port,
      chainId: options.chainId,
      pid: child.pid ?? -1,
      stateFile: options.stateFile,
      stop,
    };
  } catch (cause) {
    await stop();
    throw new DevChainError(`anvil (chain ${options.chainId}) did not start`, {
      details: `args: ${args.join(' ')}; stderr: ${stderrTail.trim() || '(empty)'}`,
      cause,
    });
  }
}
