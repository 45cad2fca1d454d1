import { fileURLToPath } from 'node:url';
import { type Client, createClient } from 'viem';
import { createRpcTransport } from '../../lambdas/chain/rpc-transport.js';
import { JOB_ENV, ROLLUP_CONFIG_PATH_ENV } from '../../lambdas/core/config/environment-names.js';
import type { ZkvmBackend } from '../zkvm/backend.js';
import { createBinaryBackend } from '../zkvm/backends/binary-backend.js';
import { createMockBackend } from '../zkvm/backends/mock-backend.js';
import { ProverUsageError } from './prover-usage-error.js';

/** The committed devnet rollup config, used when `ROLLUP_CONFIG_PATH` is not set. */
export const defaultRollupConfigPath = fileURLToPath(
  new URL('../../config/rollup/devnet.json', import.meta.url),
);

/**
 * The prover binaries' environment:
 * - `L1_RPC_URLS`, `L2_RPC_URLS`: comma-separated RPC endpoints (fallback in order);
 * - `RPC_TIMEOUT_MS`: per-request timeout (default 10000);
 * - `ZKVM_BACKEND`: `mock` (default), `binary` or `sp1` (both: external prover speaking the binary
 *   prover contract, command in `ZKVM_PROVER_COMMAND`, whitespace-separated argv);
 * - `ROLLUP_CONFIG_PATH`: rollup config file (default `config/rollup/devnet.json` of this repo).
 */
export interface ProverEnv {
  l1(): Client;
  l2(): Client;
  readonly backend: ZkvmBackend;
  readonly rollupConfigPath: string;
}

/** Reads the prover environment; throws `ProverUsageError` naming the variable that is wrong. */
export function readProverEnv(env: NodeJS.ProcessEnv): ProverEnv {
  const rpcTimeoutMs = Number(env.RPC_TIMEOUT_MS ?? '10000');
  if (!Number.isInteger(rpcTimeoutMs) || rpcTimeoutMs <= 0) {
    throw new ProverUsageError(
      `RPC_TIMEOUT_MS must be a positive integer of milliseconds, got "${env.RPC_TIMEOUT_MS}"`,
    );
  }
  const client = (variable: typeof JOB_ENV.l1RpcUrls | typeof JOB_ENV.l2RpcUrls): Client => {
    const rpcUrls = (env[variable] ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter((url) => url !== '');
    if (rpcUrls.length === 0) {
      throw new ProverUsageError(`${variable} is not set: give the RPC endpoints, comma-separated`);
    }
    // Errors name the failing endpoint after its variable: `L2_RPC_URLS endpoint #2 (https://host/<redacted-url>)`.
    // A bare client: the hosts send JSON-RPC requests only, so the bundle leaves out viem's public
    // actions (ENS, ERC-6492, …), whose ABIs are parsed at module load in every prover start.
    return createClient({ transport: createRpcTransport({ rpcUrls, rpcTimeoutMs, label: variable }) });
  };
  return {
    l1: () => client(JOB_ENV.l1RpcUrls),
    l2: () => client(JOB_ENV.l2RpcUrls),
    backend: backendFromEnv(env),
    rollupConfigPath: env[ROLLUP_CONFIG_PATH_ENV] ?? defaultRollupConfigPath,
  };
}

function backendFromEnv(env: NodeJS.ProcessEnv): ZkvmBackend {
  const name = env.ZKVM_BACKEND ?? 'mock';
  if (name === 'mock') return createMockBackend();
  if (name === 'binary' || name === 'sp1') {
    const command = (env.ZKVM_PROVER_COMMAND ?? '').split(/\s+/).filter((part) => part !== '');
    if (command.length === 0) {
      throw new ProverUsageError(
        `ZKVM_BACKEND=${name} needs ZKVM_PROVER_COMMAND, the prover executable and its arguments`,
      );
    }
    return createBinaryBackend({ command, name });
  }
  throw new ProverUsageError(`ZKVM_BACKEND must be mock, binary or sp1, got "${name}"`);
}
