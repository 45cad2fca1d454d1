import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { bigintToDecimal } from '../../../lambdas/core/json/bigint-replacer.js';
import type { OpsContext } from '../../context/ops-context.js';
import { DASHBOARD_PATHS, dashboardPage } from './dashboard-page.js';
import { type DashboardSnapshot, readDashboardSnapshot } from './dashboard-snapshot.js';
import { renderHeadChart } from './head-chart.js';
import { HeadHistory } from './head-history.js';

/** How the dashboard runs. */
export interface DashboardOptions {
  /** Loopback port; 0 = any free one. */
  readonly port: number;
  /** Seconds between status reads (the page polls at the same pace). */
  readonly everySeconds: number;
  /** Samples the chart keeps (default: an hour at a 5 s pace). */
  readonly historySize?: number;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  /** Stops sampling and closes the server. */
  close(): Promise<void>;
}

/**
 * Serves the dashboard on 127.0.0.1: the page, the snapshot the page polls, and the heads chart.
 * Reads the status once before listening (an unreachable target fails here, with its error), then
 * every `everySeconds`; a failed read keeps the last snapshot and reports the failure with it.
 */
export async function startDashboard(context: OpsContext, options: DashboardOptions): Promise<Dashboard> {
  const history = new HeadHistory(options.historySize ?? 720);
  let latest: DashboardSnapshot = await readDashboardSnapshot(context);
  let sampleError: string | undefined;
  history.add(latest.status);

  const stop = new AbortController();
  const sampling = (async () => {
    while (!stop.signal.aborted) {
      await sleep(options.everySeconds * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) return;
      try {
        latest = await readDashboardSnapshot(context);
        sampleError = undefined;
        history.add(latest.status);
      } catch (error) {
        sampleError = (error as Error).message;
      }
    }
  })();

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string, status = 200): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(
        'text/plain; charset=utf-8',
        `${request.method} not allowed: the dashboard only reads\n`,
        405,
      );
    if (path === DASHBOARD_PATHS.page)
      return send('text/html; charset=utf-8', dashboardPage(options.everySeconds));
    if (path === DASHBOARD_PATHS.snapshot)
      return send(
        'application/json',
        JSON.stringify({ ...latest, ...(sampleError === undefined ? {} : { sampleError }) }, bigintToDecimal),
      );
    if (path === DASHBOARD_PATHS.chart) return send('image/svg+xml', renderHeadChart(history.list()));
    return send(
      'text/plain; charset=utf-8',
      `no page at ${path}: the dashboard serves ${Object.values(DASHBOARD_PATHS).join(', ')}\n`,
      404,
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, '127.0.0.1', () => listening());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      stop.abort();
      await sampling;
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}
