import { describe, expect, it } from 'vitest';
import type {
  AggregateGuestInput,
  RangeProofInput,
} from '../../../batch-jobs/programs/aggregate/aggregate-guest-input.js';
import { aggregateProgram } from '../../../batch-jobs/programs/aggregate/aggregate-program.js';
import { decodeAggregationOutputs } from '../../../batch-jobs/programs/aggregate/aggregation-outputs.js';
import { encodeBootInfo } from '../../../batch-jobs/programs/range/boot-info.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { GuestRejectedError } from '../../../batch-jobs/zkvm/errors.js';
import type { Hex } from '../../../lambdas/chain/hex-bytes.js';
import type { RpcBlockHeader } from '../../../lambdas/chain/l2-state/block-header.js';
import { l1ReorgFailureOf } from '../../../lambdas/core/executor/l1-reorg-failure.js';
import type { BootInfo } from '../../../lambdas/core/executor/range-contract.js';
import { bytes32, syntheticChain } from './synthetic-chain.js';

const backend = createMockBackend();
const l1Chain = syntheticChain(40n, 50n, 7);
const configHash = bytes32('c0');
const prover = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';

function root(n: bigint): Hex {
  return `0x${n.toString(16).padStart(64, 'f')}`;
}

function rangeProof(start: bigint, end: bigint, overrides: Partial<BootInfo> = {}): RangeProofInput {
  const bootInfo: BootInfo = {
    l1Head: (l1Chain[2] as RpcBlockHeader).hash,
    l2PreRoot: root(start),
    l2PostRoot: root(end),
    l2BlockNumber: String(end),
    rollupConfigHash: configHash,
    ...overrides,
  };
  return {
    start: String(start),
    end: String(end),
    bootInfo,
    publicValues: encodeBootInfo(bootInfo),
    proof: '0x',
    vkey: rangeProgram.vkey,
  };
}

function aggregateInput(ranges: RangeProofInput[]): AggregateGuestInput {
  const last = l1Chain[l1Chain.length - 1] as RpcBlockHeader;
  return {
    start: (ranges[0] as RangeProofInput).start,
    end: (ranges[ranges.length - 1] as RangeProofInput).end,
    ranges,
    rangeVkey: rangeProgram.vkey,
    checkpoint: { l1BlockNumber: '50', l1BlockHash: last.hash as Hex },
    l1Headers: l1Chain,
    proverAddress: prover,
  };
}

async function rejection(input: AggregateGuestInput): Promise<GuestRejectedError> {
  const error = await backend.execute(aggregateProgram, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GuestRejectedError))
    throw new Error(`expected a GuestRejectedError, got ${String(error)}`);
  return error;
}

describe('aggregate guest', () => {
  it('commits AggregationOutputs over contiguous ranges', async () => {
    // Prepare
    const input = aggregateInput([rangeProof(100n, 130n), rangeProof(130n, 160n), rangeProof(160n, 170n)]);

    // Act
    const artifact = await backend.prove(aggregateProgram, input, 'groth16');

    // Assess
    expect(decodeAggregationOutputs(artifact.publicValues)).toEqual({
      l1Head: (l1Chain[10] as RpcBlockHeader).hash,
      l2PreRoot: root(100n),
      claimRoot: root(170n),
      claimBlockNum: '170',
      rollupConfigHash: configHash,
      rangeVkeyCommitment: rangeProgram.vkey,
      proverAddress: prover,
    });
    expect(artifact).toMatchObject({ proof: '0x', vkey: aggregateProgram.vkey, mode: 'groth16' });
    await expect(backend.verify(artifact, aggregateProgram.vkey)).resolves.toBeUndefined();
  });

  it.each([
    {
      name: 'a gap',
      ranges: () => [rangeProof(100n, 130n), rangeProof(135n, 160n, { l2PreRoot: root(130n) })],
      check: 'range-gap',
      message: 'gap between range 100-130 and range 135-160: blocks 131…135 are not proven',
    },
    {
      name: 'an overlap',
      ranges: () => [rangeProof(100n, 130n), rangeProof(125n, 160n, { l2PreRoot: root(130n) })],
      check: 'range-overlap',
      message: 'overlap between range 100-130 and range 125-160: blocks 126…130 twice',
    },
    {
      name: 'a broken output-root chain',
      ranges: () => [rangeProof(100n, 130n), rangeProof(130n, 160n, { l2PreRoot: bytes32('0b') })],
      check: 'output-root-chain',
      message: `range 100-130 ends at output root ${root(130n)} but range 130-160 starts from ${bytes32('0b')}`,
    },
    {
      name: 'a rollup config mismatch',
      ranges: () => [rangeProof(100n, 130n), rangeProof(130n, 160n, { rollupConfigHash: bytes32('c1') })],
      check: 'rollup-config-mismatch',
      message: `range 130-160 has rollupConfigHash ${bytes32('c1')} but range 100-130 has ${configHash}`,
    },
    {
      name: 'a foreign l1Head',
      ranges: () => [rangeProof(100n, 130n), rangeProof(130n, 160n, { l1Head: bytes32('f0') })],
      check: 'foreign-l1-head',
      message: `range 130-160 l1Head ${bytes32('f0')} is not in the L1 header chain 40…50`,
    },
    {
      name: 'a BootInfo block number that is not the range end',
      ranges: () => [rangeProof(100n, 130n, { l2BlockNumber: '129' })],
      check: 'range-boot-info',
      message: 'range 100-130 commits l2BlockNumber 129, not its end 130',
    },
  ])('refuses $name, naming the ranges', async ({ ranges, check, message }) => {
    // Act
    const error = await rejection(aggregateInput(ranges()));

    // Assess
    expect(error.check).toBe(check);
    expect(error.message).toContain(message);
  });

  it('refuses a range proven under another vkey', async () => {
    // Prepare
    const input = aggregateInput([{ ...rangeProof(100n, 130n), vkey: aggregateProgram.vkey }]);

    // Act
    const error = await rejection(input);

    // Assess
    expect(error.check).toBe('range-vkey');
    expect(error.message).toContain(`range 100-130 was proven under vkey ${aggregateProgram.vkey}`);
  });

  it('refuses a range with non-empty proof bytes (not a mock proof)', async () => {
    expect((await rejection(aggregateInput([{ ...rangeProof(100n, 130n), proof: '0x01' }]))).check).toBe(
      'range-proof',
    );
  });

  it('refuses public values that do not re-derive from BootInfo', async () => {
    const tampered = {
      ...rangeProof(100n, 130n),
      publicValues: encodeBootInfo({ ...rangeProof(100n, 130n).bootInfo, l2PostRoot: bytes32('0c') }),
    };
    expect((await rejection(aggregateInput([tampered]))).check).toBe('range-public-values');
  });

  it('refuses a checkpoint hash that is not the last L1 header', async () => {
    // Prepare
    const input = aggregateInput([rangeProof(100n, 130n)]);
    input.checkpoint = { l1BlockNumber: '50', l1BlockHash: bytes32('ce') };

    // Act
    const error = await rejection(input);

    // Assess
    expect(error.check).toBe('checkpoint-hash');
    expect(error.message).toContain(`the checkpoint says ${bytes32('ce')}`);
  });

  it('refuses an L1 header chain that does not end at the checkpoint block', async () => {
    const input = aggregateInput([rangeProof(100n, 130n)]);
    input.checkpoint = { ...input.checkpoint, l1BlockNumber: '51' };
    expect((await rejection(input)).message).toContain(
      'the L1 header chain ends at block 50, not the checkpoint block 51',
    );
  });

  it('refuses a request whose claimed span differs from the ranges', async () => {
    const input = { ...aggregateInput([rangeProof(100n, 130n)]), end: '140' };
    expect((await rejection(input)).message).toContain('ranges cover 100-130 but the request claims 100-140');
  });
});

describe('aggregate guest rejections the failure policy reads as L1 reorgs', () => {
  it('names the range of a foreign l1Head and a checkpoint that no longer hashes, in words l1ReorgFailureOf reads', async () => {
    // Prepare
    const foreign = aggregateInput([
      rangeProof(100n, 130n),
      rangeProof(130n, 160n, { l1Head: bytes32('f0') }),
    ]);
    const moved = aggregateInput([rangeProof(100n, 130n)]);
    moved.checkpoint = { l1BlockNumber: '50', l1BlockHash: bytes32('ce') };
    // Act
    const [foreignError, movedError] = await Promise.all([rejection(foreign), rejection(moved)]);
    // Assess
    expect(l1ReorgFailureOf({ error: foreignError.message })).toEqual({
      kind: 'range-l1-head',
      start: 130n,
      end: 160n,
    });
    expect(l1ReorgFailureOf({ error: 'exit 1', stderrTail: `…\n${movedError.message}\n` })).toEqual({
      kind: 'checkpoint',
    });
  });
});
