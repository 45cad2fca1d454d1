import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validInputFromChains } from '../../../batch-jobs/conformance/valid-input-from-chains.js';
import { runChildProcess } from '../../../batch-jobs/executor/run-child-process.js';
import { proverExitCodes } from '../../../batch-jobs/provers/prover-exit-codes.js';
import {
  type FaultyRpcProxy,
  type RpcFault,
  startFaultyRpcProxy,
} from '../../support/chains/faulty-rpc-proxy.js';
import { devnetRollupConfigPath, type ProgramDevnet, startProgramDevnet } from './program-devnet.js';

const rangeProver = [
  '--import',
  'tsx',
  fileURLToPath(new URL('../../../batch-jobs/provers/range.ts', import.meta.url)),
];

describe('range prover behind a faulty L2 RPC: outages are infrastructure failures, not bad ranges', () => {
  let devnet: ProgramDevnet;
  let proxy: FaultyRpcProxy;
  let dir: string;
  let input: unknown;

  beforeAll(async () => {
    devnet = await startProgramDevnet(4);
    await devnet.mineL2(3, true);
    proxy = await startFaultyRpcProxy(devnet.chains.l2.rpcUrl);
    dir = await mkdtemp(join(tmpdir(), 'prover-rpc-faults-'));
    input = await validInputFromChains('range', {
      l1RpcUrl: devnet.chains.l1.rpcUrl,
      l2RpcUrl: devnet.chains.l2.rpcUrl,
      rollupConfigPath: devnetRollupConfigPath,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await devnet?.chains.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const proveThrough = async (fault: RpcFault) => {
    proxy.setFault(fault);
    const inputPath = join(dir, `${fault}-in.json`);
    const outputPath = join(dir, `${fault}-out.json`);
    await writeFile(inputPath, JSON.stringify(input));
    const run = await runChildProcess(
      process.execPath,
      [...rangeProver, '--input-path', inputPath, '--output-path', outputPath],
      {
        env: {
          ...process.env,
          L1_RPC_URLS: devnet.chains.l1.rpcUrl,
          L2_RPC_URLS: proxy.url,
          ROLLUP_CONFIG_PATH: devnetRollupConfigPath,
        },
        timeoutMs: 60_000,
      },
    );
    return { ...run, wroteOutput: existsSync(outputPath) };
  };

  it('names the endpoint that failed by its variable, position and URL', async () => {
    // Act
    const run = await proveThrough('rate-limit');
    // Assess
    expect(run.stderrTail).toContain(`L2_RPC_URLS endpoint #1 (${proxy.url}) rate-limited (HTTP 429`);
  });

  it('proves through the proxy when it passes answers on', async () => {
    // Act
    const run = await proveThrough('none');
    // Assess
    expect(run.code).toBe(proverExitCodes.ok);
    expect(run.wroteOutput).toBe(true);
    expect(proxy.requests.get('eth_getProof')).toBeGreaterThan(0);
  });

  it.each([
    ['rate-limit', /429|rate|limit/i],
    ['invalid-json', /JSON|HTTP request failed/i],
    ['garbled-header', /hashes to .* not to the hash .* it claims/],
    ['garbled-proof', /does not verify against the block's stateRoot/],
  ] as const)(
    'exits with the infrastructure code on %s answers, naming what was wrong',
    async (fault, named) => {
      // Act
      const run = await proveThrough(fault);
      // Assess
      expect(run.code).toBe(proverExitCodes.infrastructure);
      expect(run.stderrTail).toMatch(named);
      expect(run.wroteOutput).toBe(false);
    },
  );
});
