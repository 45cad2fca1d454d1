import { describe, expect, it } from 'vitest';
import { parseOpsArguments } from '../../../ops/cli-arguments.js';
import { dashboardPage } from '../../../ops/commands/dashboard/dashboard-page.js';
import { escapeHtml } from '../../../ops/commands/dashboard/escape-html.js';
import { renderHeadChart } from '../../../ops/commands/dashboard/head-chart.js';
import { HeadHistory, L2_LATEST } from '../../../ops/commands/dashboard/head-history.js';
import type { PipelineStatus } from '../../../ops/commands/status/read-status.js';

/** A status with only what the history reads. */
function statusAt(at: string, latest: bigint, heads: Record<string, bigint | undefined>): PipelineStatus {
  const block = { block: latest, timestamp: 0n };
  return {
    target: 'test',
    at,
    l2: { latest: block, safe: block, finalized: block },
    heads: Object.entries(heads).map(([name, head]) => ({
      name,
      block: head,
      lagBlocks: undefined,
      lagSeconds: undefined,
    })),
    stages: [],
    proposer: { address: '0x0', balanceWei: 0n, leases: [], openTransactions: [], waits: [] },
    pauses: [],
    deadLetterQueues: {},
  };
}

describe('escapeHtml', () => {
  it('escapes the five characters that open markup or end an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & more`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; more',
    );
  });
});

describe('HeadHistory', () => {
  it('keeps the L2 latest block and each head per sample, unknown heads as null, dropping the oldest past capacity', () => {
    // Prepare
    const history = new HeadHistory(2);

    // Act
    history.add(statusAt('t1', 10n, { 'proposed (oracle)': undefined }));
    history.add(statusAt('t2', 11n, { 'proposed (oracle)': 5n }));
    history.add(statusAt('t3', 12n, { 'proposed (oracle)': 8n }));

    // Assess
    expect(history.list()).toEqual([
      { at: 't2', heads: { [L2_LATEST]: 11n, 'proposed (oracle)': 5n } },
      { at: 't3', heads: { [L2_LATEST]: 12n, 'proposed (oracle)': 8n } },
    ]);
  });

  it('refuses a capacity that cannot draw a line', () => {
    expect(() => new HeadHistory(1)).toThrow('HeadHistory: capacity must be a whole number ≥ 2 (got 1)');
  });
});

describe('renderHeadChart', () => {
  it('draws one line per head from the lowest to the highest block, with escaped names', () => {
    // Prepare
    const history = new HeadHistory(10);
    history.add(statusAt('2026-01-01T10:00:00.000Z', 10n, { '<stage>': 4n }));
    history.add(statusAt('2026-01-01T10:00:05.000Z', 20n, { '<stage>': 6n }));

    // Act
    const svg = renderHeadChart(history.list());

    // Assess
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('&lt;stage&gt;');
    expect(svg).not.toContain('<stage>');
    expect(svg).toContain('>20</text>');
    expect(svg).toContain('>4</text>');
    expect(svg).toContain('>10:00:05</text>');
  });

  it('says so when no head is known yet', () => {
    expect(renderHeadChart([])).toContain('no samples yet');
  });
});

describe('dashboardPage', () => {
  it('polls at the given pace and renders state as text, never as markup', () => {
    // Act
    const page = dashboardPage(2);

    // Assess
    expect(page).toContain('setInterval(refresh, 2000)');
    expect(page).toContain('textContent');
    expect(page).not.toContain('innerHTML');
  });
});

describe('parseOpsArguments: dashboard', () => {
  it('reads --port (0 = any free port, default 8686) and refuses one out of range', () => {
    expect(parseOpsArguments(['dashboard']).port).toBe(8686);
    expect(parseOpsArguments(['dashboard', '--port', '0']).port).toBe(0);
    expect(() => parseOpsArguments(['dashboard', '--port', '65536'])).toThrow(
      '--port: expected a TCP port 0-65535 (0 = any free port), got "65536"',
    );
  });
});
