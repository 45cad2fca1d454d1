import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const guestEntries = [
  'batch-jobs/programs/range/range-program.ts',
  'batch-jobs/programs/aggregate/aggregate-program.ts',
];

describe('guest programs', () => {
  it.each(guestEntries)('%s imports neither viem, the AWS SDK, zod nor Node built-ins', async (entry) => {
    // Act
    const result = await build({
      entryPoints: [fileURLToPath(new URL(`../../../${entry}`, import.meta.url))],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'neutral',
      format: 'esm',
      logLevel: 'silent',
    });

    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((path) => /node_modules\/(viem|@aws-sdk|zod)\//.test(path) || path.startsWith('node:')),
    ).toEqual([]);
    expect(inputs.some((path) => path.includes('@noble/hashes'))).toBe(true);
  });
});
