import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('says a bare command name was not found on PATH, naming it', async () => {
    // Act
    const started = runChildProcess('binary-rnage-prover', [], {
      timeoutMs: 1000,
      env: { PATH: '/nonexistent' },
    });

    // Assess
    await expect(started).rejects.toThrow(
      'executor "binary-rnage-prover" could not be started: spawn binary-rnage-prover ENOENT (no executable "binary-rnage-prover" on PATH)',
    );
  });

  describe('RPC URLs in the output', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('redacts them from the copied log lines and the stderr tail, also when a URL is split across writes', async () => {
      // Prepare: the URL's secret path arrives in a second write, 50 ms after its start.
      const copied: string[] = [];
      const capture = (chunk: string | Uint8Array) => {
        copied.push(String(chunk));
        return true;
      };
      vi.spyOn(process.stderr, 'write').mockImplementation(capture);
      vi.spyOn(process.stdout, 'write').mockImplementation(capture);
      const script = [
        `process.stderr.write('fetching block 7 from https://user:pw@rpc.example.com/v2/');`,
        `setTimeout(()=>{process.stderr.write('sEcReTkEy0123?apikey=hunter2 failed\\n');`,
        `console.log('L1 at wss://l1.example.com/ws/hunter2');`,
        `console.error('retrying');process.exit(75)},50);`,
      ].join('');

      // Act
      const exit = await runChildProcess(node, ['-e', script], { timeoutMs: 20_000, forwardOutput: true });

      // Assess
      const log = copied.join('');
      for (const text of [log, exit.stderrTail]) expect(text).not.toMatch(/sEcReTkEy0123|hunter2|user:pw/);
      expect(exit.stderrTail).toBe(
        'fetching block 7 from https://rpc.example.com/<redacted-url> failed\nretrying\n',
      );
      expect(log).toContain('L1 at wss://l1.example.com/<redacted-url>');
      expect(log).toContain('https://rpc.example.com/<redacted-url> failed');
    });
  });
});
