import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('generated contract ABIs', () => {
  it('match a fresh solc compile of contracts/ (scripts/compile-contracts.ts --check)', async () => {
    // Prepare
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

    // Act
    const result = await promisify(execFile)(
      tsx,
      [join(repoRoot, 'scripts', 'compile-contracts.ts'), '--check'],
      {
        cwd: repoRoot,
      },
    ).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? -1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );

    // Assess
    expect(result.output).toContain('contract ABIs are current');
    expect(result.code).toBe(0);
  });
});
