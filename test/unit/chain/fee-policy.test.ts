import { parseGwei } from 'viem';
import { describe, expect, it } from 'vitest';
import { bumpedFees, initialFees, txPolicyFromConfig } from '../../../lambdas/chain/tx-manager/fee-policy.js';

const policy = txPolicyFromConfig({
  maxFeePerGasGwei: 100,
  maxPriorityFeePerGasGwei: 2,
  feeBumpPercent: 12,
  resubmissionTimeoutSeconds: 6,
  confirmations: 1,
});

describe('initialFees', () => {
  it.each([
    [
      'caps the tip',
      parseGwei('1'),
      parseGwei('5'),
      { maxFeePerGas: parseGwei('4'), maxPriorityFeePerGas: parseGwei('2') },
    ],
    [
      'doubles the base fee plus tip',
      parseGwei('10'),
      parseGwei('1'),
      { maxFeePerGas: parseGwei('21'), maxPriorityFeePerGas: parseGwei('1') },
    ],
    [
      'caps the max fee',
      parseGwei('60'),
      parseGwei('1'),
      { maxFeePerGas: parseGwei('100'), maxPriorityFeePerGas: parseGwei('1') },
    ],
  ])('%s', (_name, baseFee, tip, expected) => {
    expect(initialFees(baseFee, tip, policy)).toEqual({ kind: 'ok', fees: expected });
  });

  it('gives up when even base fee plus tip exceeds the cap', () => {
    expect(initialFees(parseGwei('100'), parseGwei('1'), policy).kind).toBe('over-cap');
  });
});

describe('bumpedFees', () => {
  it('raises tip and max fee by at least the bump percent, rounding up', () => {
    // Prepare
    const previous = { maxFeePerGas: 1_000_000_001n, maxPriorityFeePerGas: 999n };
    // Act
    const decision = bumpedFees(previous, 1n, policy);
    // Assess
    expect(decision.kind).toBe('ok');
    if (decision.kind !== 'ok') return;
    expect(decision.fees.maxPriorityFeePerGas * 100n).toBeGreaterThanOrEqual(
      previous.maxPriorityFeePerGas * 112n,
    );
    expect(decision.fees.maxFeePerGas * 100n).toBeGreaterThanOrEqual(previous.maxFeePerGas * 112n);
  });

  it('covers twice a risen base fee', () => {
    const decision = bumpedFees(
      { maxFeePerGas: parseGwei('3'), maxPriorityFeePerGas: parseGwei('1') },
      parseGwei('40'),
      policy,
    );
    expect(decision).toEqual({
      kind: 'ok',
      fees: { maxFeePerGas: parseGwei('81.12'), maxPriorityFeePerGas: parseGwei('1.12') },
    });
  });

  it('gives up when the minimum bump no longer fits under the caps', () => {
    const decision = bumpedFees(
      { maxFeePerGas: parseGwei('95'), maxPriorityFeePerGas: parseGwei('1') },
      1n,
      policy,
    );
    expect(decision.kind).toBe('over-cap');
  });
});

describe('txPolicyFromConfig: reorgWindowBlocks', () => {
  const proposer = {
    maxFeePerGasGwei: 100,
    maxPriorityFeePerGasGwei: 2,
    feeBumpPercent: 12,
    resubmissionTimeoutSeconds: 6,
  };

  it.each([
    ['two epochs by default', { confirmations: 1 }, {}, 64],
    ['as given', { confirmations: 1 }, { reorgWindowBlocks: 10 }, 10],
    ['never below confirmations', { confirmations: 80 }, { reorgWindowBlocks: 10 }, 80],
  ] as const)('%s', (_what, config, overrides, expected) => {
    // Act
    const built = txPolicyFromConfig({ ...proposer, ...config }, overrides);
    // Assess
    expect(built.reorgWindowBlocks).toBe(expected);
  });
});
