import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalJobRunner } from '../../../devnet/stand-ins/local-job-runner.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'run-job-runner.ts');

/** Processes of a process group that still run (zombies waiting for a reaper do not count). */
function liveMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

async function untilNoLiveMembers(pgid: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  let members = liveMembers(pgid);
  while (members.length > 0 && Date.now() < deadline) {
    await sleep(50);
    members = liveMembers(pgid);
  }
  return members;
}

/** Starts the fixture runner process; resolves with it and its job's process group once the job runs. */
async function startRunnerProcess(
  stateDirectory: string,
  mode: 'hang' | 'exit',
): Promise<{ child: ChildProcess; pgid: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, stateDirectory, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  const pgid = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /RUNNING (\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`runner process exited (${code}) before its job ran`)));
  });
  return { child, pgid, exited };
}

describe.runIf(process.platform === 'linux')('local job runner: no orphan job processes', () => {
  const directories: string[] = [];
  const groups: number[] = [];

  afterAll(() => {
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone, as expected
      }
    }
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('kills the job processes a runner killed with SIGKILL left behind on the next start', async () => {
    // Prepare: a runner process with a running job (two processes in the job's group), then SIGKILL it.
    const stateDirectory = mkdtempSync(join(tmpdir(), 'orphans-'));
    directories.push(stateDirectory);
    const first = await startRunnerProcess(stateDirectory, 'hang');
    groups.push(first.pgid);
    first.child.kill('SIGKILL');
    await first.exited;
    const survivors = liveMembers(first.pgid);

    // Act: the next start on the same state folder.
    const next = new LocalJobRunner({
      command: [process.execPath, '-e', 'process.exit(0)'],
      cwd: process.cwd(),
      baseEnvironment: {},
      maxParallelJobs: 1,
      jobDefinitions: { range: { timeoutSeconds: 30 } },
      stateDirectory,
      onStateChange: async () => undefined,
    });

    // Assess: the job outlived the SIGKILL (no hook runs), and the next start killed its whole group.
    try {
      expect(survivors.length).toBeGreaterThanOrEqual(1);
      expect(await untilNoLiveMembers(first.pgid)).toEqual([]);
    } finally {
      await next.stop();
    }
  }, 30_000);

  it('kills the job processes when the runner process leaves with process.exit (second Ctrl-C)', async () => {
    // Prepare
    const stateDirectory = mkdtempSync(join(tmpdir(), 'orphans-'));
    directories.push(stateDirectory);

    // Act
    const runner = await startRunnerProcess(stateDirectory, 'exit');
    groups.push(runner.pgid);
    await runner.exited;

    // Assess
    expect(await untilNoLiveMembers(runner.pgid)).toEqual([]);
  }, 30_000);
});
