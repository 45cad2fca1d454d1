import { describe, expect, it } from 'vitest';
import { runChildProcess } from '../../../../batch-jobs/executor/run-child-process.js';
import { ExecutorSpawnError } from '../../../../lambdas/core/executor/executor-errors.js';

const node = process.execPath;

describe('runChildProcess', () => {
  it('resolves with the exit code and the stderr tail, never rejecting on a non-zero exit', async () => {
    // Act
    const exit = await runChildProcess(node, ['-e', `console.error('bad witness');process.exit(4)`], {
      timeoutMs: 20_000,
    });

    // Assess
    expect(exit).toEqual({ ended: 'exit', code: 4, signal: null, stderrTail: 'bad witness\n' });
  });

  it('stops the process group on timeout, children included, and says it timed out', async () => {
    // Prepare: a child that ignores SIGTERM and a grandchild that holds stderr open.
    const script = [
      `process.on('SIGTERM',()=>console.error('ignoring SIGTERM'));`,
      `require('node:child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:['ignore','ignore','inherit']});`,
      `console.error('started');setInterval(()=>{},1000);`,
    ].join('');

    // Act
    const exit = await runChildProcess(node, ['-e', script], { timeoutMs: 1000, killGraceMs: 200 });

    // Assess: had the grandchild survived, its open stderr would keep this call pending.
    expect(exit.ended).toBe('timeout');
    expect(exit.code).toBeNull();
    expect(['SIGTERM', 'SIGKILL']).toContain(exit.signal);
  });

  it('keeps only the last bytes asked for, and runs in the given directory with the given env', async () => {
    // Act
    const exit = await runChildProcess(
      node,
      ['-e', `process.stderr.write('x'.repeat(100)+process.cwd()+':'+process.env.PROBE)`],
      { timeoutMs: 20_000, stderrTailBytes: 12, cwd: '/tmp', env: { PROBE: 'ok' } },
    );

    // Assess
    expect(exit.stderrTail).toBe('xxxxx/tmp:ok');
  });

  it('rejects with ExecutorSpawnError when the command does not exist', async () => {
    // Act
    const started = runChildProcess('/nonexistent/prover', [], { timeoutMs: 1000 });

    // Assess
    await expect(started).rejects.toBeInstanceOf(ExecutorSpawnError);
  });
});
