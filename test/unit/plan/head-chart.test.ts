import { describe, expect, it } from 'vitest';
import { HEAD_SERIES, headChart } from '../../../scripts/plan/head-chart.js';
import { configuredScenario } from '../../../scripts/plan/plan-scenarios.js';
import { simulatePlan } from '../../../scripts/plan/simulate-plan.js';
import { tinyRequest } from './tiny-scenario.js';

/** Tags in order of appearance, checked to nest (a well-formedness check without an XML parser). */
function unbalancedTags(svg: string): string[] {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing === '/') continue;
    if (closing === '') open.push(name as string);
    else if (open.pop() !== name) return [`</${name}>`];
  }
  return open;
}

describe('headChart', () => {
  it('draws the L2, proven and proposed heads of a run as three polylines in a well-formed SVG', async () => {
    // Prepare
    const run = await simulatePlan(configuredScenario(tinyRequest()));

    // Act
    const svg = headChart(run.timeline.heads, 'tiny <scenario>');

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(unbalancedTags(svg)).toEqual([]);
    expect(svg).toContain('<title>tiny &lt;scenario&gt;</title>');
    const series = [...svg.matchAll(/<polyline data-series="(\w+)"[^>]*points="([^"]*)"/g)];
    expect(series.map((m) => m[1])).toEqual(HEAD_SERIES.map((s) => s.key));
    for (const [, , points] of series) expect(points?.split(' ')).toHaveLength(run.timeline.heads.length);
    const heads = run.timeline.heads;
    expect(heads.filter((h) => !(h.l2Head >= h.provenHead && h.provenHead >= h.proposedHead))).toEqual([]);
    expect(heads.at(-1)?.provenHead).toBe(10);
  });
});
