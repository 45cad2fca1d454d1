import type { OpsContext } from '../../context/ops-context.js';
import { type DashboardOptions, startDashboard } from './dashboard-server.js';

/** Where `dashboard` prints its URL, and what stops it (Ctrl-C or SIGTERM in the entry point). */
export interface DashboardIo {
  readonly stdout: (text: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * `dashboard`: serves the page until the signal aborts, printing `dashboard: <url>` once it listens.
 * @returns the exit code, 0.
 */
export async function serveDashboard(
  context: OpsContext,
  options: DashboardOptions,
  io: DashboardIo,
): Promise<number> {
  const dashboard = await startDashboard(context, options);
  io.stdout(`dashboard: ${dashboard.url}\n`);
  if (io.signal?.aborted !== true)
    await new Promise<void>((aborted) =>
      io.signal?.addEventListener('abort', () => aborted(), { once: true }),
    );
  await dashboard.close();
  return 0;
}
