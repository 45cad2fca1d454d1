import { InvalidInputError } from '../../lambdas/core/errors.js';

/** An L2 as the planner sees it: how fast blocks come, how heavy they are, how late they finalize. */
export interface ChainProfile {
  readonly name: string;
  /** Seconds between L2 blocks. */
  readonly blockSeconds: number;
  /** Mean L2 gas used per block (drives the range proving time). */
  readonly gasPerBlock: number;
  /** Mean transactions per block (for $/tx). */
  readonly txPerBlock: number;
  /** Seconds from a block's production until the `finalized` tag covers it. */
  readonly finalizedSeconds: number;
  /** Seconds from a block's production until the `safe` tag covers it. */
  readonly safeSeconds: number;
}

/**
 * L2 finality for OP-stack chains: a block is `safe` once its batch is on L1 (batcher interval,
 * assumed ~2 min plus one L1 block) and `finalized` once that L1 block is finalized (two epochs,
 * 2 × 32 slots × 12 s = 768 s, Ethereum consensus specs) — about 20 minutes in all (assumption).
 */
const OP_STACK_FINALITY = { finalizedSeconds: 1200, safeSeconds: 180 } as const;

/** The built-in chain profiles; sources in docs/planner.md. */
export const CHAIN_PROFILES: Readonly<Record<string, ChainProfile>> = {
  'op-mainnet': {
    name: 'op-mainnet',
    blockSeconds: 2,
    gasPerBlock: 10_000_000,
    txPerBlock: 20,
    ...OP_STACK_FINALITY,
  },
  base: { name: 'base', blockSeconds: 2, gasPerBlock: 60_000_000, txPerBlock: 200, ...OP_STACK_FINALITY },
  '1s': { name: '1s', blockSeconds: 1, gasPerBlock: 5_000_000, txPerBlock: 10, ...OP_STACK_FINALITY },
};

/**
 * The profile named `name`.
 * @throws InvalidInputError naming the known profiles when there is no such profile.
 */
export function chainProfile(name: string): ChainProfile {
  const profile = CHAIN_PROFILES[name];
  if (profile === undefined) {
    throw new InvalidInputError('--chain', [
      `got "${name}", expected one of ${Object.keys(CHAIN_PROFILES).join(', ')}`,
    ]);
  }
  return profile;
}
