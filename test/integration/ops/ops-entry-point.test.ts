import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsFixture, prepareGroups, startOpsFixture } from './ops-fixture.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');

/** Runs `node --import tsx ops/cli.ts …` as a person would; resolves with the exit code and output. */
async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'ops/cli.ts', ...args], {
      cwd: REPO,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_DYNAMODB: '',
        AWS_ENDPOINT_URL_S3: '',
        AWS_ENDPOINT_URL_SQS: '',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ops/cli.ts as a child process', () => {
  let fixture: OpsFixture;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-entry');
    await prepareGroups(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('finds the local run from its state folder alone and prints JSON', async () => {
    // Act: the child gets no endpoint variables; the manifest says where the stand-ins listen.
    const { code, stdout, stderr } = await cli([
      'groups',
      'list',
      '--status',
      'failed',
      '--json',
      '--state-dir',
      fixture.stateDirectory,
    ]);

    // Assess
    // (stderr may carry the SDK's Node version notice; no error line.)
    expect(stderr).not.toMatch(/^error:/m);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([
      { id: `range/${fixture.origin + 3n}-${fixture.origin + 6n}`, status: 'failed' },
    ]);
  });

  it('exits 1 with what to do when the state folder holds no run, and 2 with the usage on a bad option', async () => {
    // Act: two independent CLI runs, side by side.
    const [missing, badOption] = await Promise.all([
      cli(['status', '--state-dir', resolve(fixture.stateDirectory, 'nothing-here')]),
      cli(['status', '--jsno']),
    ]);

    // Assess
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error: no local run in .*nothing-here \(.*manifest\.json is missing\): start one with `npm start`/,
    );
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--jsno'.*; see --help/);
  });
});
