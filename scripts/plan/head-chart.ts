import type { HeadSample } from './block-timeline.js';

const WIDTH = 900;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 30, bottom: 45 };

/** The three series a chart draws, with their colours. */
export const HEAD_SERIES = [
  { key: 'l2Head', label: 'L2 head', colour: '#1f77b4' },
  { key: 'provenHead', label: 'proven head', colour: '#2ca02c' },
  { key: 'proposedHead', label: 'proposed head', colour: '#d62728' },
] as const;

/**
 * A standalone SVG of the L2 head, the proven head (every block up to it range-proven) and the
 * proposed head (the oracle's) over virtual time: one polyline each, axes in hours and blocks.
 * Written without dependencies.
 */
export function headChart(samples: readonly HeadSample[], title: string): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxT = Math.max(1, ...samples.map((s) => s.atSeconds));
  const maxB = Math.max(1, ...samples.map((s) => s.l2Head));
  const x = (t: number) => (MARGIN.left + (t / maxT) * plotW).toFixed(1);
  const y = (b: number) => (MARGIN.top + plotH - (b / maxB) * plotH).toFixed(1);
  const lines = HEAD_SERIES.map(({ key, label, colour }) => {
    const points = samples.map((s) => `${x(s.atSeconds)},${y(s[key])}`).join(' ');
    return `<polyline data-series="${key}" fill="none" stroke="${colour}" stroke-width="1.5" points="${points}"><title>${label}</title></polyline>`;
  });
  const legend = HEAD_SERIES.map(
    ({ label, colour }, i) =>
      `<text x="${MARGIN.left + 10 + i * 150}" y="${MARGIN.top - 10}" fill="${colour}" font-size="12">${label}</text>`,
  );
  const axes = [
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" font-size="12" text-anchor="middle">hours (max ${(maxT / 3600).toFixed(2)})</text>`,
    `<text x="15" y="${MARGIN.top + plotH / 2}" font-size="12" transform="rotate(-90 15 ${MARGIN.top + plotH / 2})" text-anchor="middle">blocks after start (max ${maxB})</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...axes,
    ...legend,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
