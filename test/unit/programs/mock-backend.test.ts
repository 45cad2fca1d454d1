import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { aggregateProgram } from '../../../batch-jobs/programs/aggregate/aggregate-program.js';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { defineProgram, programVkey } from '../../../batch-jobs/zkvm/program.js';
import { toHex } from '../../../lambdas/chain/hex-bytes.js';

describe('mock backend', () => {
  const echo = defineProgram<{ word: `0x${string}` }>('echo', '1', (input, env) => {
    env.count(3);
    return input.word;
  });
  const word = `0x${'42'.repeat(32)}` as const;

  it('derives vkeys as sha256("<id>@<version>"), distinct per program and version', async () => {
    // Act
    const { vkey } = await createMockBackend().setup(rangeProgram);

    // Assess
    expect(vkey).toBe(toHex(sha256(new TextEncoder().encode('op-succinct-range@2'))));
    expect(aggregateProgram.vkey).toBe(programVkey('op-succinct-aggregation', '1'));
    expect(programVkey('op-succinct-range', '1')).not.toBe(vkey);
  });

  it('executes the guest for real, counts its ops and emits empty proof bytes', async () => {
    // Act
    const artifact = await createMockBackend().prove(echo, { word }, 'compressed');

    // Assess
    expect(artifact).toEqual({
      proof: '0x',
      publicValues: word,
      vkey: echo.vkey,
      mode: 'compressed',
      cycles: 3,
    });
  });

  it('verifies its own artifacts and refuses a wrong vkey or non-empty proof bytes', async () => {
    // Prepare
    const backend = createMockBackend();
    const artifact = await backend.prove(echo, { word }, 'groth16');

    // Act / Assess
    await expect(backend.verify(artifact, echo.vkey)).resolves.toBeUndefined();
    await expect(backend.verify(artifact, rangeProgram.vkey)).rejects.toThrow(
      `artifact vkey ${echo.vkey} is not the expected ${rangeProgram.vkey}`,
    );
    await expect(backend.verify({ ...artifact, proof: '0xdead' }, echo.vkey)).rejects.toThrow(
      'proof bytes must be empty (0x), got 2 bytes',
    );
  });
});
