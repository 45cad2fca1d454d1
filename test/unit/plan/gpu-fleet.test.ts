import { describe, expect, it } from 'vitest';
import { Prng } from '../../../scripts/chaos/prng.js';
import { GpuFleet } from '../../../scripts/plan/gpu-fleet.js';
import { DEFAULT_FLEET } from '../../../scripts/plan/world-model.js';

const MODEL = { ...DEFAULT_FLEET, instanceType: 'g6.4xlarge', spot: true, spotInterruptionsPerHour: 0 };

describe('GpuFleet', () => {
  it('starts on-demand instances for Spot jobs once its Spot share is full, as Batch fills its next environment', () => {
    // Prepare: a cap of three, one of them Spot.
    const fleet = new GpuFleet(MODEL, { total: 3, spot: 1 }, new Prng(1));

    // Act
    const markets = [0, 1, 2, 3].map((i) => fleet.acquire(i * 1000, 'spot')?.market);

    // Assess
    expect(markets).toEqual(['spot', 'on-demand', 'on-demand', undefined]);
  });

  it('lets any instance be Spot when the Spot share is the whole cap', () => {
    // Prepare
    const fleet = new GpuFleet(MODEL, { total: 2, spot: 2 }, new Prng(1));

    // Act
    const markets = [0, 1, 2].map((i) => fleet.acquire(i * 1000, 'spot')?.market);

    // Assess
    expect(markets).toEqual(['spot', 'spot', undefined]);
  });
});
