import { InvalidInputError } from '../../lambdas/core/errors.js';
import type { ChainProfile } from './chain-profiles.js';
import {
  DEFAULT_FLEET,
  DEFAULT_L1,
  DEFAULT_PROVING,
  DEFAULT_WAKE_LATENCY_SECONDS,
  type FleetModel,
  INSTANCE_PRICES,
  type L1Model,
  type ProvingModel,
  SPOT_PRICE_SHARE,
  type WorldModel,
} from './world-model.js';

/** Parts of the default world a caller replaces (a test's fixed proving time, a CLI flag). */
export interface WorldOverrides {
  readonly proving?: Partial<ProvingModel>;
  readonly fleet?: Partial<FleetModel>;
  readonly l1?: Partial<L1Model>;
  readonly wakeLatencySeconds?: number;
}

/** The default world for `chain` and the config's instance type and market, with `overrides` on top. */
export function defaultWorld(
  chain: ChainProfile,
  fleet: { readonly instanceType: string; readonly spot: boolean },
  overrides: WorldOverrides = {},
): WorldModel {
  instancePrice(fleet.instanceType, fleet.spot);
  return {
    chain,
    proving: { ...DEFAULT_PROVING, ...overrides.proving },
    fleet: { ...DEFAULT_FLEET, ...fleet, ...overrides.fleet },
    l1: { ...DEFAULT_L1, ...overrides.l1 },
    wakeLatencySeconds: overrides.wakeLatencySeconds ?? DEFAULT_WAKE_LATENCY_SECONDS,
  };
}

/**
 * USD per hour of `instanceType` in us-east-1, Spot or on-demand.
 * @throws InvalidInputError naming the known types when the type has no price.
 */
export function instancePrice(instanceType: string, spot: boolean): number {
  const price = INSTANCE_PRICES[instanceType];
  if (price === undefined) {
    throw new InvalidInputError('instance type', [
      `got "${instanceType}", expected one with a price: ${Object.keys(INSTANCE_PRICES).join(', ')}`,
    ]);
  }
  return spot ? price.onDemandUsdPerHour * SPOT_PRICE_SHARE : price.onDemandUsdPerHour;
}
