import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeProgram } from '../../../batch-jobs/programs/range/range-program.js';
import { readProverEnv } from '../../../batch-jobs/provers/prover-env.js';
import { createMockBackend } from '../../../batch-jobs/zkvm/backends/mock-backend.js';
import { codeCachePath } from '../../../devnet/runtime/code-cached-bundle.js';
import { buildJobBundles, type JobBundles } from '../../../devnet/runtime/job-bundles.js';
import { JOB_LAUNCHERS } from '../../../devnet/runtime/job-launchers.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** Runs a bundle with plain `node` (no tsx loader) and an environment that names no job. */
function runBundle(path: string, args: readonly string[] = []): { status: number | null; output: string } {
  const child = spawnSync(process.execPath, [path, ...args], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

describe('job bundles', () => {
  let cacheDir: string;
  let bundles: JobBundles;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'job-bundles-'));
    bundles = await buildJobBundles(repoRoot, cacheDir);
  }, 120_000);

  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('runs the entrypoint bundle with plain node: an empty job environment exits 2 naming the variable', () => {
    // Act
    const { status, output } = runBundle(bundles.entrypoint);

    // Assess
    expect(bundles.built).toBe(true);
    expect(status).toBe(2);
    expect(output).toContain('invalid job environment');
    expect(output).toContain('JOB_STAGE');
  });

  it('starts a bundle from its V8 code cache: the first run writes it, the next runs read it, a corrupt one is replaced', () => {
    // Prepare
    const cache = codeCachePath(join(dirname(bundles.entrypoint), 'entrypoint.bundle.cjs'));
    rmSync(cache, { force: true });

    // Act
    const first = runBundle(bundles.entrypoint);
    const written = statSync(cache);
    const second = runBundle(bundles.entrypoint);
    const afterSecond = statSync(cache);
    writeFileSync(cache, 'not a code cache');
    const corrupt = runBundle(bundles.entrypoint);

    // Assess: every run behaves alike; V8 accepted the cache (the file a writer renames into place
    // is still the first one) and refused the garbage (replaced).
    for (const run of [first, second, corrupt]) {
      expect(run.status).toBe(2);
      expect(run.output).toContain('JOB_STAGE');
    }
    expect(written.size).toBeGreaterThan(100_000);
    expect(afterSecond.ino).toBe(written.ino);
    expect(afterSecond.mtimeMs).toBe(written.mtimeMs);
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
  });

  it.each(['range', 'aggregate'] as const)('runs the %s prover bundle with plain node', (program) => {
    // Act: no contract flags, so the prover refuses the invocation (exit 2) with its usage.
    const { status, output } = runBundle(bundles.provers[program]);

    // Assess
    expect(status).toBe(2);
    expect(output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Cannot find module/);
  });

  it('writes the launchers into bin/, executable, each starting its bundle through sh', () => {
    // Act
    const launched = JOB_LAUNCHERS.map((name) => {
      const path = join(bundles.bin, name);
      const child = spawnSync(path, [], {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { name, mode: statSync(path).mode & 0o777, status: child.status, output: `${child.stderr}` };
    });

    // Assess: without contract flags every prover refuses the invocation with its usage (exit 2).
    expect(launched.map(({ name, mode, status }) => ({ name, mode, status }))).toEqual(
      JOB_LAUNCHERS.map((name) => ({ name, mode: 0o755, status: 2 })),
    );
    for (const { output } of launched) expect(output).toMatch(/usage|--input-path/);
  });

  it('binary-range-prover runs the range prover on the binary backend, mock-zkvm-prover answering across a process', async () => {
    // Prepare: the launcher's environment, read back from its script.
    const launcher = readFileSync(join(bundles.bin, 'binary-range-prover'), 'utf8');
    const exported = Object.fromEntries(
      [...launcher.matchAll(/^export (\w+)='([^']*)'$/gm)].map((match) => [match[1], match[2]]),
    );
    const env = readProverEnv(exported);

    // Act
    const { vkey } = await env.backend.setup(rangeProgram);

    // Assess
    expect(launcher).toContain(`exec '${process.execPath}' '${bundles.provers.range}' "$@"`);
    expect(exported).toEqual({
      ZKVM_BACKEND: 'binary',
      ZKVM_PROVER_COMMAND: `${process.execPath} ${bundles.zkvmProver}`,
    });
    expect(env.backend.name).toBe('binary');
    expect(vkey).toBe((await createMockBackend().setup(rangeProgram)).vkey);
  });

  it('reuses the bundles while no input changed, and rebuilds when the stamp no longer matches', async () => {
    // Act
    const reused = await buildJobBundles(repoRoot, cacheDir);
    const stampPath = join(cacheDir, 'stamp.json');
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { inputs: string[]; hash: string };
    writeFileSync(stampPath, JSON.stringify({ ...stamp, hash: 'stale' }));
    const rebuilt = await buildJobBundles(repoRoot, cacheDir);

    // Assess
    expect(reused).toEqual({ ...bundles, built: false });
    expect(stamp.inputs).toContain('batch-jobs/entrypoint.ts');
    expect(rebuilt.built).toBe(true);
    expect(dirname(rebuilt.entrypoint)).toBe(join(cacheDir, stamp.hash));
  }, 120_000);
});
