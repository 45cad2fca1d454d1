import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './synth-pipeline.js';

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): string[] {
  return readFileSync(join(PROJECT_ROOT, 'batch-jobs/Dockerfile'), 'utf8')
    .replaceAll(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the job image (batch-jobs/Dockerfile)', () => {
  it('gives the prover user a home and a writable SP1 cache before switching to it', () => {
    // Act
    const lines = instructions();
    const user = lines.indexOf('USER prover');
    const createUser = lines.findIndex((line) =>
      /^RUN useradd\b.*\bprover$/m.test(line.split('&&')[0]?.trim() ?? ''),
    );
    // Assess: SP1 writes ~/.sp1/circuits; `useradd --system` alone makes no home.
    expect(createUser).toBeGreaterThanOrEqual(0);
    expect(user).toBeGreaterThan(createUser);
    const useradd = lines[createUser] as string;
    expect(useradd).toMatch(/--create-home\b/);
    expect(useradd).toMatch(/--home-dir \/home\/prover\b/);
    expect(useradd).toMatch(/install -d -o prover -g prover -m 0700 \/home\/prover\/\.sp1$/);
    expect(lines.slice(createUser, user)).toContain('ENV HOME=/home/prover');
  });
});
