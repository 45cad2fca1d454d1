import { ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { blockEnvelope, type OpsFixture, startOpsFixture } from './ops-fixture.js';

describe('ops events replay --job against the local stand-ins (Batch ListJobs mocked)', () => {
  let fixture: OpsFixture;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-events');
    for (let n = fixture.origin + 1n; n <= fixture.origin + 6n; n++)
      await dispatchMessage(fixture.deps, blockEnvelope(n));
  });
  afterAll(async () => {
    await fixture.close();
  });

  const jobOf = (a: bigint, b: bigint, attempt: number) =>
    `range-${fixture.origin + a}-${fixture.origin + b}-a${attempt}`;
  const runnerSays = (jobName: string, status: 'FAILED' | 'RUNNING') =>
    fixture.batch.on(ListJobsCommand).resolves({
      jobSummaryList: [
        {
          jobName,
          jobId: 'job-1',
          status,
          createdAt: Date.now() - 60_000,
          ...(status === 'FAILED'
            ? { statusReason: 'Essential container in task exited', container: { exitCode: 1 } }
            : {}),
        },
      ],
    });

  it('applies a finished job whose event was lost, as the job-state handler would; a second replay is a no-op', async () => {
    // Prepare: the first group's job failed in Batch, and its event never arrived
    const name = jobOf(0n, 3n, 1);
    const groupId = `range/${fixture.origin}-${fixture.origin + 3n}`;
    runnerSays(name, 'FAILED');
    fixture.batch.resetHistory();

    // Act
    const first = await fixture.opsJson('events', 'replay', '--job', name);
    const again = await fixture.ops('events', 'replay', '--job', name);

    // Assess: the failure counted and the next attempt was submitted, once
    expect(first).toMatchObject({
      code: 0,
      value: {
        jobName: name,
        groupId,
        runner: 'failed',
        result: 'applied',
        outcome: 'retried',
        status: 'running',
      },
    });
    const group = await fixture.deps.store.get(groupId);
    expect(group).toMatchObject({ data: { attempt: 2, failures: 1 } });
    expect(group?.data.error).toMatch(/Essential container in task exited \(replayed by an operator\)/);
    expect(fixture.batch.commandCalls(SubmitJobCommand).map((c) => c.args[0].input.jobName)).toEqual([
      jobOf(0n, 3n, 2),
    ]);
    expect(again).toMatchObject({
      code: 0,
      stdout: `${name}: already handled, nothing changed (group ${groupId} is running)\n`,
    });
  });

  it('leaves a job the runner still runs alone, and names an unknown job', async () => {
    // Prepare
    const name = jobOf(3n, 6n, 1);
    runnerSays(name, 'RUNNING');

    // Act
    const active = await fixture.opsJson('events', 'replay', '--job', name);
    const unknown = await fixture.ops('events', 'replay', '--job', 'range-900-903-a1');
    const usage = await fixture.ops('events', 'replay');

    // Assess
    expect(active.value).toMatchObject({ result: 'still-active', runner: 'active', status: 'running' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: no group ran a job named range-900-903-a1: job names look like/);
    expect(usage.stderr).toBe('error: unknown command "events replay": events replay --job <name>\n');
  });
});
