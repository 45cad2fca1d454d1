import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createPublicClient, createWalletClient, type Hex, http, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccountRoles, devPrivateKeys } from '../../devnet/chains/dev-accounts.js';
import { localChain } from '../../devnet/chains/local-chain.js';
import type { DevChains } from '../../devnet/chains/start-dev-chains.js';
import { startDashboardProcess } from '../../devnet/runtime/dashboard-process.js';
import type { DevnetManifest } from '../../devnet/runtime/devnet-manifest.js';
import { opSuccinctL2OutputOracleAbi } from '../../lambdas/chain/abi/OPSuccinctL2OutputOracle.generated.js';
import { computeOutputRoot } from '../../lambdas/chain/l2-state/compute-output-root.js';
import { proposalItem } from '../../lambdas/proposer/proposal-records.js';
import { type Dashboard, startDashboard } from '../../ops/commands/dashboard/dashboard-server.js';
import { type OpsContext, opsContext } from '../../ops/context/ops-context.js';
import { localTarget } from '../../ops/target/local-target.js';
import { startDevnetTestChains } from '../integration/ops/devnet-test-chains.js';
import { type OpsFixture, prepareGroups, startOpsFixture } from '../integration/ops/ops-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = resolve(import.meta.dirname, '../../test-artifacts/dashboard.png');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `dashboard page test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; CI has it)`,
  );

describe.skipIf(!hasChromium)(
  'the dashboard page in headless Chromium, on anvil chains and the stand-ins',
  () => {
    let chains: DevChains;
    let manifest: DevnetManifest;
    let l1: PublicClient;
    let l2: PublicClient;
    let fixture: OpsFixture;
    let context: OpsContext;
    let dashboard: Dashboard;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];

    const oracle = () => ({
      address: manifest.contracts.l2OutputOracle as Hex,
      abi: opSuccinctL2OutputOracleAbi,
    });
    const latestBlockNumber = () => l1.readContract({ ...oracle(), functionName: 'latestBlockNumber' });
    const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');

    beforeAll(async () => {
      const started = await startDevnetTestChains();
      chains = started.chains;
      manifest = started.manifest;
      l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) });
      l2 = createPublicClient({ transport: http(manifest.l2.rpcUrl) });
      fixture = await startOpsFixture('ops-dashboard', { manifest });
      await prepareGroups(fixture);
      context = opsContext(await localTarget(fixture.stateDirectory), 'dashboard-test', () => undefined);
      dashboard = await startDashboard(context, { port: 0, everySeconds: 1 });
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless=new'],
      });
      page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 1000 });
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn')
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
      context?.sqs.destroy();
      await fixture?.close();
      await chains?.stop();
    });

    it('shows the heads the oracle holds, the groups and jobs, and updates after a new proposal', async () => {
      // Prepare
      const proposedBefore = await latestBlockNumber();

      // Act
      await page.goto(dashboard.url, { waitUntil: 'load' });
      await page.waitForSelector('#head-proposed', { timeout: 10_000 });

      // Assess
      expect(await text('#head-proposed')).toBe(String(proposedBefore));
      expect(await text('#stages tbody')).toMatch(/range.*failed 1.*running/);
      expect(await text('#jobs tbody')).toContain(`range/${fixture.origin + 6n}-${fixture.origin + 9n}`);
      expect(await text('#jobs tbody')).toMatch(/job-\d+/);
      expect(await text('#proposals tbody')).toBe('none');

      // Act: a proposal on the oracle, as the proposer sends it, and its proposal/<n> item
      const { l2BlockNumber, txHash } = await proposeNext();
      await fixture.deps.store.create(
        proposalItem(l2BlockNumber, 'proposed', {
          messageId: 'dashboard-test',
          outputRoot: (await computeOutputRoot(l2, l2BlockNumber)).outputRoot,
          l1BlockNumber: String(await l1.getBlockNumber({ cacheTime: 0 })),
          txHash,
        }),
      );
      await waitForText('#head-proposed', (shown) => shown === String(l2BlockNumber));

      // Assess: the page changed without a reload, and the oracle agrees
      expect(await text('#head-proposed')).toBe(String(await latestBlockNumber()));
      await waitForText('#proposals tbody', (shown) => shown.includes(txHash));
      expect(await text('#proposals tbody')).toContain(`${l2BlockNumber}proposed`);
      expect(
        await page.$eval('#chart', (chart) => (chart as unknown as { naturalWidth: number }).naturalWidth),
      ).toBeGreaterThan(0);
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(problems).toEqual([]);
    }, 90_000);

    it('answers only GET on its three paths, naming them on a 404', async () => {
      // Act
      const missing = await fetch(new URL('/nope', dashboard.url));
      const posted = await fetch(dashboard.url, { method: 'POST' });
      const snapshot = await fetch(new URL('/dashboard.json', dashboard.url));

      // Assess
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe(
        'no page at /nope: the dashboard serves /, /dashboard.json, /chart.svg\n',
      );
      expect(posted.status).toBe(405);
      expect(snapshot.headers.get('content-type')).toBe('application/json');
      expect(((await snapshot.json()) as { status: { target: string } }).status.target).toBe(
        `local run in ${fixture.stateDirectory}`,
      );
    });

    it("runs as npm start's child process: prints its URL, serves the page, stops; a taken port is reported", async () => {
      // Prepare
      const repoRoot = resolve(import.meta.dirname, '../..');
      const taken = Number(new URL(dashboard.url).port);

      // Act
      const child = startDashboardProcess({ repoRoot, stateDirectory: fixture.stateDirectory, port: 0 });
      const url = await child.url;
      const page = await fetch(url);
      await child.stop();
      const clash = startDashboardProcess({ repoRoot, stateDirectory: fixture.stateDirectory, port: taken });

      // Assess
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>proving pipeline</title>');
      await expect(fetch(url)).rejects.toThrow();
      await expect(clash.url).rejects.toThrow(/the dashboard exited before it listened:[\s\S]*EADDRINUSE/);
      await clash.stop();
    }, 60_000);

    /** Polls the page (which refreshes itself) until the element's text passes `until`; fails after 15 s. */
    async function waitForText(selector: string, until: (shown: string) => boolean): Promise<void> {
      const deadline = Date.now() + 15_000;
      let shown = await text(selector);
      while (!until(shown)) {
        if (Date.now() > deadline) throw new Error(`${selector} still shows "${shown}" after 15 s`);
        await new Promise((tick) => setTimeout(tick, 200));
        shown = await text(selector);
      }
    }

    /** Checkpoints an L1 block and proposes the oracle's next block (the mock verifier takes proof `0x`). */
    async function proposeNext(): Promise<{ l2BlockNumber: bigint; txHash: Hex }> {
      const account = privateKeyToAccount(devPrivateKeys[devAccountRoles.proposer] as Hex);
      const wallet = createWalletClient({
        account,
        chain: localChain(manifest.l1.chainId, manifest.l1.rpcUrl),
        transport: http(manifest.l1.rpcUrl),
      });
      const l2BlockNumber = await l1.readContract({ ...oracle(), functionName: 'nextBlockNumber' });
      while ((await l2.getBlockNumber({ cacheTime: 0 })) <= l2BlockNumber + 1n)
        await new Promise((tick) => setTimeout(tick, 250));
      const checkpoint = await l1.getBlockNumber({ cacheTime: 0 });
      await l1.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          ...oracle(),
          functionName: 'checkpointBlockHash',
          args: [checkpoint],
        }),
        pollingInterval: 50,
      });
      const configName = await l1.readContract({ ...oracle(), functionName: 'GENESIS_CONFIG_NAME' });
      const txHash = await wallet.writeContract({
        ...oracle(),
        functionName: 'proposeL2Output',
        args: [
          configName,
          (await computeOutputRoot(l2, l2BlockNumber)).outputRoot,
          l2BlockNumber,
          checkpoint,
          '0x',
          account.address,
        ],
      });
      const receipt = await l1.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
      if (receipt.status !== 'success') throw new Error(`proposeL2Output(${l2BlockNumber}) reverted`);
      return { l2BlockNumber, txHash };
    }
  },
);
