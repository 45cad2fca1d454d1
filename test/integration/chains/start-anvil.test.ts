import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, createTestClient, http } from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccount, devMnemonic, devPrivateKeys } from '../../../devnet/chains/dev-accounts.js';
import { startAnvil } from '../../../devnet/chains/start-anvil.js';
import { isProcessAlive, waitForProcessGone } from '../../support/chains/process-liveness.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs the fixture in a separate Node process; resolves with the anvil it started and a handle on itself. */
function runFixture(how: 'exit' | 'throw' | 'wait') {
  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'anvil-then-die.ts'), how],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<{ pid: number; rpcUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as { pid: number; rpcUrl: string });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited (${code}) before printing its anvil`)));
  });
  return { child, started, exited };
}

describe('startAnvil', () => {
  it('starts on a free loopback port with the chain id, finality lagging by one-slot epochs, and stops', async () => {
    // Prepare
    const [a, b] = await Promise.all([
      startAnvil({ chainId: 900 }),
      startAnvil({ chainId: 901, optimism: true }),
    ]);
    try {
      const client = createPublicClient({ transport: http(a.rpcUrl) });
      await createTestClient({ mode: 'anvil', transport: http(a.rpcUrl) }).mine({ blocks: 5 });

      // Act
      const chainIds = [
        await client.getChainId(),
        await createPublicClient({ transport: http(b.rpcUrl) }).getChainId(),
      ];
      const latest = await client.getBlock({ blockTag: 'latest' });
      const finalized = await client.getBlock({ blockTag: 'finalized' });
      const balance = await client.getBalance({ address: devAccount(9).address });

      // Assess
      expect(a.rpcUrl).toBe(`http://127.0.0.1:${a.port}`);
      expect(a.port).not.toBe(b.port);
      expect(chainIds).toEqual([900, 901]);
      expect(finalized.number).toBe(latest.number - 2n);
      expect(balance).toBe(10_000n * 10n ** 18n);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(isProcessAlive(a.pid)).toBe(false);
    expect(isProcessAlive(b.pid)).toBe(false);
    await a.stop();
  });

  it('mines on its own with a block time', async () => {
    // Prepare
    const node = await startAnvil({ chainId: 900, blockTimeSeconds: 1 });
    try {
      const client = createPublicClient({ transport: http(node.rpcUrl), pollingInterval: 100 });

      // Act
      const block = await new Promise<bigint>((resolve) => {
        const unwatch = client.watchBlockNumber({
          onBlockNumber: (n) => {
            if (n >= 1n) {
              unwatch();
              resolve(n);
            }
          },
        });
      });

      // Assess
      expect(block).toBeGreaterThanOrEqual(1n);
    } finally {
      await node.stop();
    }
  });

  it('fails with the reason when the port is taken', async () => {
    // Prepare
    const first = await startAnvil({ chainId: 900 });
    try {
      // Act
      const second = startAnvil({ chainId: 900, port: first.port, readyTimeoutMs: 5_000 });

      // Assess
      await expect(second).rejects.toThrow('anvil (chain 900) did not start');
    } finally {
      await first.stop();
    }
  });

  it.each(['exit', 'throw', 'wait'] as const)(
    'leaves no anvil behind when its Node process ends by %s',
    async (how) => {
      // Prepare
      const fixture = runFixture(how);
      const { pid } = await fixture.started;
      expect(isProcessAlive(pid)).toBe(true);

      // Act
      if (how === 'wait') fixture.child.kill('SIGTERM');
      else fixture.child.stdin.write('die\n');
      await fixture.exited;

      // Assess
      expect(await waitForProcessGone(pid)).toBe(true);
    },
  );
});

describe('dev accounts', () => {
  it('are the keys anvil funds from the test mnemonic', async () => {
    // Prepare
    const { mnemonicToAccount } = await import('viem/accounts');

    // Act
    const fromMnemonic = devPrivateKeys.map(
      (_, i) => mnemonicToAccount(devMnemonic, { addressIndex: i }).address,
    );

    // Assess
    expect(devPrivateKeys.map((_, i) => devAccount(i).address)).toEqual(fromMnemonic);
    expect(() => devAccount(10)).toThrow('outside 0..9');
  });
});
