import fc from 'fast-check';
import { bytesToHex, encodeAbiParameters, hexToBytes, keccak256, toRlp } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  decodeAggregationOutputs,
  encodeAggregationOutputs,
} from '../../../batch-jobs/programs/aggregate/aggregation-outputs.js';
import { decodeBootInfo, encodeBootInfo } from '../../../batch-jobs/programs/range/boot-info.js';
import { headerHash } from '../../../lambdas/chain/l2-state/block-header.js';
import { type RlpItem, rlpEncode } from '../../../lambdas/chain/l2-state/encoding/rlp.js';
import { outputRootV0 } from '../../../lambdas/chain/l2-state/output-root.js';
import { anvilGenesisHeader, bytes32 } from './synthetic-chain.js';

const rlpItem: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('item'), { maxLength: 4 }),
  ),
})).item;

type HexTree = `0x${string}` | readonly HexTree[];

function toViem(item: RlpItem): HexTree {
  return item instanceof Uint8Array ? bytesToHex(item) : item.map(toViem);
}

describe('rlpEncode', () => {
  it('encodes the yellow-paper examples', () => {
    // Prepare
    const dog = new TextEncoder().encode('dog');
    const cat = new TextEncoder().encode('cat');
    const lorem = new TextEncoder().encode('Lorem ipsum dolor sit amet, consectetur adipisicing elit');

    // Act / Assess
    expect(bytesToHex(rlpEncode(dog))).toBe('0x83646f67');
    expect(bytesToHex(rlpEncode([cat, dog]))).toBe('0xc88363617483646f67');
    expect(bytesToHex(rlpEncode(new Uint8Array(0)))).toBe('0x80');
    expect(bytesToHex(rlpEncode([]))).toBe('0xc0');
    expect(bytesToHex(rlpEncode(Uint8Array.of(0x0f)))).toBe('0x0f');
    expect(bytesToHex(rlpEncode(Uint8Array.of(0x04, 0x00)))).toBe('0x820400');
    expect(bytesToHex(rlpEncode(lorem)).slice(0, 6)).toBe('0xb838');
  });

  it('agrees with viem toRlp on arbitrary nested items', () => {
    fc.assert(
      fc.property(rlpItem, (item) => {
        expect(bytesToHex(rlpEncode(item))).toBe(toRlp(toViem(item) as `0x${string}`));
      }),
    );
  });
});

describe('headerHash', () => {
  it('reproduces the hash anvil reported for its genesis block (all Prague header fields)', () => {
    expect(headerHash(anvilGenesisHeader)).toBe(anvilGenesisHeader.hash);
  });

  it('refuses a header with a fork field but without an earlier one', () => {
    const { withdrawalsRoot: _dropped, ...withoutWithdrawals } = anvilGenesisHeader;
    expect(() => headerHash(withoutWithdrawals)).toThrow(
      'has blobGasUsed but not the earlier fork field withdrawalsRoot',
    );
  });

  it('hashes a pre-London header (no fork fields)', () => {
    const {
      baseFeePerGas: _a,
      withdrawalsRoot: _b,
      blobGasUsed: _c,
      excessBlobGas: _d,
      parentBeaconBlockRoot: _e,
      requestsHash: _f,
      ...legacy
    } = anvilGenesisHeader;
    expect(hexToBytes(headerHash(legacy))).toHaveLength(32);
    expect(headerHash(legacy)).not.toBe(anvilGenesisHeader.hash);
  });
});

describe('public values encoding', () => {
  const bootInfo = {
    l1Head: bytes32('11'),
    l2PreRoot: bytes32('22'),
    l2PostRoot: bytes32('33'),
    l2BlockNumber: '130',
    rollupConfigHash: bytes32('44'),
  };
  const outputs = {
    l1Head: bytes32('aa'),
    l2PreRoot: bytes32('bb'),
    claimRoot: bytes32('cc'),
    claimBlockNum: '400',
    rollupConfigHash: bytes32('dd'),
    rangeVkeyCommitment: bytes32('ee'),
    proverAddress: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  };

  it('encodes BootInfo as abi.encode of the SP1 struct and decodes it back', () => {
    // Act
    const encoded = encodeBootInfo(bootInfo);

    // Assess
    expect(encoded).toBe(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'uint64' },
          { type: 'bytes32' },
        ],
        [bootInfo.l1Head, bootInfo.l2PreRoot, bootInfo.l2PostRoot, 130n, bootInfo.rollupConfigHash],
      ),
    );
    expect(decodeBootInfo(encoded)).toEqual(bootInfo);
  });

  it('encodes AggregationOutputs as the oracle does and decodes it back', () => {
    // Act
    const encoded = encodeAggregationOutputs(outputs);

    // Assess
    expect(encoded).toBe(
      encodeAbiParameters(
        [
          {
            type: 'tuple',
            components: [
              { name: 'l1Head', type: 'bytes32' },
              { name: 'l2PreRoot', type: 'bytes32' },
              { name: 'claimRoot', type: 'bytes32' },
              { name: 'claimBlockNum', type: 'uint256' },
              { name: 'rollupConfigHash', type: 'bytes32' },
              { name: 'rangeVkeyCommitment', type: 'bytes32' },
              { name: 'proverAddress', type: 'address' },
            ],
          },
        ],
        [{ ...outputs, claimBlockNum: 400n, proverAddress: outputs.proverAddress as `0x${string}` }],
      ),
    );
    expect(decodeAggregationOutputs(encoded)).toEqual(outputs);
  });

  it('names the document when public values have the wrong length', () => {
    expect(() => decodeBootInfo('0x1234')).toThrow(
      'range public values (BootInfo) must be 5 ABI words (160 bytes), got 2 bytes',
    );
  });

  it('computes the OP v0 output root', () => {
    expect(outputRootV0(bytes32('01'), bytes32('02'), bytes32('03'))).toBe(
      keccak256(
        encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
          [bytes32('00'), bytes32('01'), bytes32('02'), bytes32('03')],
        ),
      ),
    );
  });
});
