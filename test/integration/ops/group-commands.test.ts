import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsFixture, prepareGroups, startOpsFixture } from './ops-fixture.js';

describe('ops groups list / group show against the local stand-ins', () => {
  let fixture: OpsFixture;
  let ids: Awaited<ReturnType<typeof prepareGroups>>;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-groups');
    ids = await prepareGroups(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('lists the groups of a stage, filtered by status', async () => {
    // Act
    const all = await fixture.opsJson('groups', 'list', '--stage', 'range');
    const failed = await fixture.opsJson('groups', 'list', '--status', 'failed');

    // Assess
    expect(all.code).toBe(0);
    expect(all.value.map((g: { id: string; status: string }) => [g.id, g.status])).toEqual([
      [ids.split, 'split'],
      [`range/${fixture.origin}-${fixture.origin + 2n}`, 'running'],
      [`range/${fixture.origin + 2n}-${fixture.origin + 3n}`, 'running'],
      [ids.failed, 'failed'],
      [ids.running, 'running'],
    ]);
    expect(failed.value).toMatchObject([{ id: ids.failed, attempt: 2, start: String(fixture.origin + 3n) }]);
  });

  it('prints a compact table without --json', async () => {
    // Act
    const { code, stdout } = await fixture.ops('groups', 'list', '--status', 'failed');

    // Assess
    expect(code).toBe(0);
    const [header, row] = stdout.trim().split('\n');
    expect(header).toMatch(/^group\s+status\s+blocks\s+members\s+attempt\s+failures\s+job\s+error$/);
    expect(row).toMatch(
      new RegExp(`^${ids.failed}\\s+failed\\s+${fixture.origin + 4n}-${fixture.origin + 6n}\\s+3\\s+2\\s+`),
    );
  });

  it('shows a failed group with its jobs, Batch id, error and prover stderr', async () => {
    // Act
    const { code, value } = await fixture.opsJson('group', 'show', ids.failed);

    // Assess
    expect(code).toBe(0);
    expect(value.group).toMatchObject({
      id: ids.failed,
      status: 'failed',
      memberIds: [1n, 2n, 3n].map((n) => `blocks/${fixture.origin + 3n + n}`),
      lastFailure: { error: 'prover exited 1 (attempt 2)', stderrTail: 'out of cycles' },
    });
    const span = `${fixture.origin + 3n}-${fixture.origin + 6n}`;
    expect(value.jobs).toEqual([
      { attempt: 1, name: `range-${span}-a1`, state: 'unknown' },
      { attempt: 2, name: `range-${span}-a2`, jobId: expect.stringMatching(/^job-\d+$/), state: 'unknown' },
    ]);
  });

  it('shows a bisected group with its children, and a child with its parent', async () => {
    // Act
    const parent = await fixture.opsJson('group', 'show', ids.split);
    const child = await fixture.opsJson('group', 'show', `range/${fixture.origin}-${fixture.origin + 2n}`);

    // Assess
    expect(parent.value.children).toEqual([
      { id: `range/${fixture.origin}-${fixture.origin + 2n}`, status: 'running' },
      { id: `range/${fixture.origin + 2n}-${fixture.origin + 3n}`, status: 'running' },
    ]);
    expect(child.value.parent).toEqual({ id: ids.split, status: 'split' });
    const text = (await fixture.ops('group', 'show', ids.split)).stdout;
    expect(text).toContain(`children: range/${fixture.origin}-${fixture.origin + 2n} (running)`);
    expect(text).toContain('prover stderr (tail):\npanicked at guest/range.rs:42: header hash mismatch');
  });

  it('refuses an unknown group id, naming it and how to list the groups', async () => {
    // Act
    const { code, stderr, stdout } = await fixture.ops('group', 'show', 'range/900-903', '--json');

    // Assess
    expect(code).toBe(1);
    const message =
      'group range/900-903 not found: group ids look like <stage>/<start>-<end>; list them with `npm run ops -- groups list --stage range`';
    expect(stderr).toBe(`error: ${message}\n`);
    expect(JSON.parse(stdout)).toEqual({ error: message });
  });

  it('refuses an unknown stage or status with the known ones', async () => {
    // Act
    const stage = await fixture.ops('groups', 'list', '--stage', 'rnage');
    const status = await fixture.ops('groups', 'list', '--status', 'stuck');

    // Assess
    expect(stage.stderr).toBe('error: unknown stage "rnage": the config\'s stages are range, aggregate\n');
    expect(status.stderr).toBe(
      'error: unknown group status "stuck": one of collected, awaiting-checkpoint, running, failed, retried, succeeded, split, abandoned, invalidated\n',
    );
  });

  it('reaches the same state as a deployed stack with --config, --table and --bucket (the SDK endpoints set)', async () => {
    // Prepare: the stand-ins answer in place of AWS; the SDK reads AWS_ENDPOINT_URL_* as it would on a laptop.
    const config = join(fixture.stateDirectory, 'pipeline.json');

    // Act
    const listed = await fixture.opsJson(
      'groups',
      'list',
      '--status',
      'failed',
      '--config',
      config,
      '--table',
      'ops-groups-state',
      '--bucket',
      'ops-groups-artifacts',
    );
    const unnamed = await fixture.ops('status', '--config', config);

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.value.map((g: { id: string }) => g.id)).toEqual([ids.failed]);
    expect(unnamed.stderr).toBe(
      "error: a deployed stack needs --table (or STATE_TABLE_NAME) and --bucket (or ARTIFACT_BUCKET_NAME): CloudFormation names them; copy them from the dispatcher function's environment\n",
    );
  });
});
