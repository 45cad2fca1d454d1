import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STDERR_TAIL_BYTES } from '../../../../batch-jobs/executor/run-child-process.js';
import {
  type RunExecutorProcessOptions,
  runExecutorProcess,
} from '../../../../batch-jobs/executor/run-executor-process.js';
import {
  ExecutorAbortedError,
  ExecutorExitError,
  ExecutorOutputInvalidError,
  ExecutorOutputMissingError,
  ExecutorOutputNotJsonError,
  ExecutorSpawnError,
  ExecutorTimeoutError,
} from '../../../../lambdas/core/executor/executor-errors.js';
import type { RangeRequest } from '../../../../lambdas/core/executor/range-contract.js';

const FAKE_PROVER = resolve(import.meta.dirname, '../../../support/executor-fixtures/fake-prover.mjs');

const request: RangeRequest = {
  version: 1,
  program: 'range',
  groupId: 'range/100-110',
  start: '100',
  end: '110',
  rollupConfigHash: `0x${'ab'.repeat(32)}`,
  proofMode: 'compressed',
};

function run(mode: string, extra: Partial<RunExecutorProcessOptions> = {}) {
  return runExecutorProcess({
    argv: [process.execPath, FAKE_PROVER],
    program: 'range',
    input: request,
    timeoutMs: 20_000,
    env: { ...process.env, FAKE_PROVER_MODE: mode },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the run to fail');
}

describe('runExecutorProcess', () => {
  it('returns the validated result of a successful run, with the stderr tail', async () => {
    // Act
    const run1 = await run('success');
    // Assess
    expect(run1.results).toHaveLength(1);
    expect(run1.results[0]).toMatchObject({
      program: 'range',
      start: '100',
      end: '110',
      proofMode: 'compressed',
    });
    expect(run1.stderrTail).toContain('fake prover: mode success for 100-110');
  });

  it('fans an array output out into several results', async () => {
    // Act
    const { results } = await run('fan-out');
    // Assess
    expect(results.map((r) => [r.start, r.end])).toEqual([
      ['100', '105'],
      ['105', '110'],
    ]);
  });

  it('reports a non-zero exit with the code and the stderr tail', async () => {
    // Act
    const error = await failure(run('exit'));
    // Assess
    expect(error).toBeInstanceOf(ExecutorExitError);
    expect(error).toMatchObject({ kind: 'exit', exitCode: 3 });
    expect((error as ExecutorExitError).message).toMatch(/exited with code 3/);
    expect((error as ExecutorExitError).stderrTail).toContain('witness mismatch');
  });

  it('reports garbage output as not JSON', async () => {
    // Act
    const error = await failure(run('garbage'));
    // Assess
    expect(error).toBeInstanceOf(ExecutorOutputNotJsonError);
    expect((error as ExecutorOutputNotJsonError).stderrTail).toContain('mode garbage');
  });

  it('reports a schema-invalid output naming the path', async () => {
    // Act
    const error = await failure(run('invalid'));
    // Assess
    expect(error).toBeInstanceOf(ExecutorOutputInvalidError);
    expect((error as ExecutorOutputInvalidError).issues).toEqual([
      'vkey: a 32-byte 0x-prefixed hex string (got "nope")',
    ]);
  });

  it('reports a missing output file', async () => {
    // Act + Assess
    expect(await failure(run('missing'))).toBeInstanceOf(ExecutorOutputMissingError);
  });

  it('terminates a run that exceeds its timeout (SIGTERM ignored → SIGKILL)', async () => {
    // Act
    const error = await failure(run('sleep', { timeoutMs: 500, killGraceMs: 200 }));
    // Assess
    expect(error).toBeInstanceOf(ExecutorTimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 500 });
    expect((error as ExecutorTimeoutError).stderrTail).toContain('got SIGTERM, ignoring it');
  });

  it('stops a run when the caller aborts it', async () => {
    // Prepare
    const controller = new AbortController();
    // Act
    const pending = run('sleep', { signal: controller.signal, killGraceMs: 100 });
    setTimeout(() => controller.abort(), 300);
    // Assess
    expect(await failure(pending)).toBeInstanceOf(ExecutorAbortedError);
  });

  it('keeps only the last bytes of a long stderr', async () => {
    // Act
    const { stderrTail } = await run('noisy');
    // Assess
    expect(Buffer.byteLength(stderrTail)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(stderrTail).toContain('line 1999');
    expect(stderrTail).not.toContain('line 1 ');
  });

  it('reports a command that cannot be started', async () => {
    // Act + Assess
    const error = await failure(run('success', { argv: ['/nonexistent/prover'] }));
    expect(error).toBeInstanceOf(ExecutorSpawnError);
  });
});
