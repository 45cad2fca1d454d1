import { describe, expect, it } from 'vitest';
import { CHAIN_PROFILES } from '../../../scripts/plan/chain-profiles.js';
import { planConfig } from '../../../scripts/plan/plan-config.js';
import { rangeBlocks } from '../../../scripts/plan/plan-scenarios.js';
import { committedConfigJson } from '../../support/config-json.js';

const OP_MAINNET = CHAIN_PROFILES['op-mainnet'] as (typeof CHAIN_PROFILES)[string];

/** aws-example.json with its range stage's cut and `aws` section set for one case. */
function example(aws: Record<string, unknown>, collector: Record<string, unknown> = {}) {
  const raw = committedConfigJson('aws-example.json');
  raw.aws = { ...raw.aws, ...aws };
  raw.stages[0].executor.resources.vcpus = 16;
  raw.stages[1].executor.resources.vcpus = 16;
  raw.stages[0].collector = { ...raw.stages[0].collector, ...collector };
  return raw;
}

describe('planConfig', () => {
  it('gives the range stage its two environments of the stack split of aws.maxVcpus, half of them Spot', () => {
    // Prepare: 512 vCPUs over four environments (two stages, Spot and on-demand each): 128 each,
    // eight 16-vCPU jobs; the range stage fills its Spot environment, then its on-demand one.
    const raw = example({ maxVcpus: 512, spot: true, onDemandFallback: true });

    // Act
    const config = planConfig(raw, 'aws-example.json');

    // Assess
    expect({ gpuCap: config.gpuCap, spotGpuCap: config.spotGpuCap }).toEqual({ gpuCap: 16, spotGpuCap: 8 });
  });

  it('gives an on-demand deployment one environment per stage, none of it Spot', () => {
    // Prepare: 512 vCPUs over two on-demand environments: 256 each, sixteen range jobs.
    const raw = example({ maxVcpus: 512, spot: false });

    // Act
    const config = planConfig(raw, 'aws-example.json');

    // Assess
    expect({ gpuCap: config.gpuCap, spotGpuCap: config.spotGpuCap }).toEqual({ gpuCap: 16, spotGpuCap: 0 });
  });

  it('refuses an aws.maxVcpus whose environments cannot hold one range job, naming the minimum', () => {
    // Prepare: 32 vCPUs over four environments leave 8 each, below one 16-vCPU job.
    const raw = example({ maxVcpus: 32, spot: true, onDemandFallback: true });

    // Act / Assess
    expect(() => planConfig(raw, 'aws-example.json')).toThrow(/aws\.maxVcpus: got 32, expected at least 64/);
  });

  it('cuts OP-mainnet ranges by maxGasPerRange before groupSize, and --range-size alone by its blocks', () => {
    // Prepare: 10 M gas per block, 200 M gas per range: 20 blocks, below groupSize 60.
    const raw = example({}, { groupSize: 60, maxGasPerRange: '200000000' });

    // Act
    const byGas = rangeBlocks(planConfig(raw, 'aws-example.json'), OP_MAINNET);
    const asked = rangeBlocks(planConfig(raw, 'aws-example.json', { rangeSize: 45 }), OP_MAINNET);

    // Assess
    expect({ byGas, asked }).toEqual({ byGas: 20, asked: 45 });
  });
});
