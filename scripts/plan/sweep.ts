import { type PlanFigures, planFigures } from './plan-report.js';
import { configuredScenario, type PlanRequest } from './plan-scenarios.js';
import { simulatePlan } from './simulate-plan.js';

/** One setting the sweep tried. */
export interface SweepPoint {
  readonly rangeSize: number;
  readonly gpus: number;
  readonly p95LagSeconds: number;
  readonly usdPerDay: number;
  readonly meetsTarget: boolean;
}

export interface SweepResult {
  readonly lagTargetSeconds: number;
  /** The cheapest setting meeting the target (every window block proposed, p95 lag ≤ target); none if no setting did. */
  readonly cheapest?: SweepPoint & { readonly figures: PlanFigures };
  readonly tried: readonly SweepPoint[];
}

/**
 * Finds the cheapest (range size, GPU cap) meeting a p95 lag target: for each range size, GPU caps
 * are tried in ascending order and the first that meets the target ends that range size's search
 * (more GPUs past it only add idle, cold-started instances); the cheapest by $/day among those wins,
 * ties to the smaller GPU cap, then the smaller range size.
 */
export async function sweepPlan(
  request: PlanRequest,
  grid: { readonly rangeSizes: readonly number[]; readonly gpus: readonly number[] },
  lagTargetSeconds: number,
): Promise<SweepResult> {
  const tried: SweepPoint[] = [];
  let cheapest: SweepResult['cheapest'];
  const gpus = [...grid.gpus].sort((a, b) => a - b);
  for (const rangeSize of grid.rangeSizes) {
    for (const gpuCap of gpus) {
      const figures = planFigures(
        await simulatePlan(configuredScenario({ ...request, rangeSize, gpus: gpuCap })),
      );
      const meetsTarget = figures.unproposedBlocks === 0 && figures.lagSeconds.p95 <= lagTargetSeconds;
      const point = {
        rangeSize,
        gpus: gpuCap,
        p95LagSeconds: figures.lagSeconds.p95,
        usdPerDay: figures.usdPerDay,
        meetsTarget,
      };
      tried.push(point);
      if (!meetsTarget) continue;
      if (cheapest === undefined || point.usdPerDay < cheapest.usdPerDay) cheapest = { ...point, figures };
      break;
    }
  }
  return { lagTargetSeconds, ...(cheapest === undefined ? {} : { cheapest }), tried };
}
