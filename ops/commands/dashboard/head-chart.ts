import { escapeHtml } from './escape-html.js';
import type { HeadSample } from './head-history.js';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 56, right: 12, top: 12, bottom: 24 };
const LEGEND_WIDTH = 200;
const COLORS = ['#555', '#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#ff7f0e', '#8c564b', '#e377c2'];

/**
 * The heads over the run as an SVG line chart (x: sample time, y: L2 block), one line per head in
 * the order of the first sample, with a legend. Names are escaped: they come from the config.
 */
export function renderHeadChart(samples: readonly HeadSample[]): string {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.heads)))];
  const blocks = samples.flatMap((sample) =>
    Object.values(sample.heads).filter((block): block is bigint => block !== null),
  );
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + LEGEND_WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH + LEGEND_WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`;
  if (blocks.length === 0)
    return `${open}<text x="${PAD.left}" y="${HEIGHT / 2}">no samples yet</text></svg>`;
  // Math.min / Math.max take no bigint: sort a copy instead.
  const sorted = [...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const low = sorted[0] ?? 0n;
  const high = sorted[sorted.length - 1] ?? 0n;
  const span = Number(high - low) || 1;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number): number =>
    PAD.left + (samples.length < 2 ? 0 : (i / (samples.length - 1)) * plotWidth);
  const y = (block: bigint): number => PAD.top + plotHeight - (Number(block - low) / span) * plotHeight;
  const lines = names.map((name, n) => {
    const color = COLORS[n % COLORS.length];
    const points = samples.flatMap((sample, i) => {
      const block = sample.heads[name];
      return block === undefined || block === null ? [] : [`${x(i).toFixed(1)},${y(block).toFixed(1)}`];
    });
    const legendY = PAD.top + 14 * n + 8;
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>` +
      `<rect x="${WIDTH + 8}" y="${legendY - 8}" width="10" height="10" fill="${color}"/>` +
      `<text x="${WIDTH + 22}" y="${legendY + 1}">${escapeHtml(name)}</text>`
    );
  });
  const first = samples[0]?.at.slice(11, 19) ?? '';
  const last = samples[samples.length - 1]?.at.slice(11, 19) ?? '';
  const axes =
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>` +
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#999"/>` +
    `<text x="${PAD.left - 4}" y="${PAD.top + 8}" text-anchor="end">${high}</text>` +
    `<text x="${PAD.left - 4}" y="${HEIGHT - PAD.bottom}" text-anchor="end">${low}</text>` +
    `<text x="${PAD.left}" y="${HEIGHT - 6}">${escapeHtml(first)}</text>` +
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${escapeHtml(last)}</text>`;
  return `${open}${axes}${lines.join('')}</svg>`;
}
