import { describe, expect, it } from 'vitest';
import {
  environmentsPerStage,
  MAX_UPDATE_TIMEOUT_MINUTES,
  maxVcpusPerEnvironment,
  updateTimeoutMinutes,
} from '../../cdk/deploy/compute-environment-settings.js';
import { hostMemoryHeadroomMiB, jobMemoryCapacityMiB } from '../../cdk/deploy/gpu-instances.js';

const facts = (hostMemoryGiB: number) =>
  ({ gpu: 'L4', gpuMemoryGiB: 24, computeCapability: 8.9, hostMemoryGiB, vcpus: 16, gpus: 1 }) as const;

describe('compute environment settings', () => {
  it.each([
    [256, 4, 64],
    [100, 4, 25],
    [10, 4, 2],
    [128, 2, 64],
  ])(
    'gives each of the environments sharing %i vCPUs over %i an equal whole share: %i',
    (total, count, share) => {
      // Act
      const perEnvironment = maxVcpusPerEnvironment(total, count);
      // Assess
      expect(perEnvironment).toBe(share);
      expect(perEnvironment * count).toBeLessThanOrEqual(total);
    },
  );

  it('counts one environment per capacity kind of a stage', () => {
    // Assess
    expect(environmentsPerStage({ spot: true, onDemand: true })).toBe(2);
    expect(environmentsPerStage({ spot: false, onDemand: true })).toBe(1);
  });

  it.each([
    [3600, 71],
    [60, 12],
    [86_400, MAX_UPDATE_TIMEOUT_MINUTES],
  ])('lets an update wait for a %i s prover attempt: %i minutes', (proverSeconds, minutes) => {
    // Act + Assess
    expect(updateTimeoutMinutes(proverSeconds)).toBe(minutes);
  });
});

describe('job memory headroom', () => {
  it.each([
    [16, 2048, 14336],
    [64, 6554, 58982],
    [256, 26215, 235929],
  ])(
    'keeps max(2 GiB, 10 %%) of a %i GiB host for the OS: %i MiB, leaving %i MiB',
    (gib, headroom, capacity) => {
      // Act + Assess
      expect(hostMemoryHeadroomMiB(facts(gib))).toBe(headroom);
      expect(jobMemoryCapacityMiB(facts(gib))).toBe(capacity);
    },
  );
});
