import { SubmitJobCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveFailed, type OpsFixture, prepareGroups, startOpsFixture } from './ops-fixture.js';

describe('ops group retry / bisect / abandon against the local stand-ins', () => {
  let fixture: OpsFixture;
  let ids: Awaited<ReturnType<typeof prepareGroups>>;
  const span = (a: bigint, b: bigint) => `range/${fixture.origin + a}-${fixture.origin + b}`;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-moves');
    ids = await prepareGroups(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('retries a failed group: a new attempt is submitted, the move recorded with who, when and from what', async () => {
    // Prepare
    fixture.batch.resetHistory();

    // Act
    const { code, value } = await fixture.opsJson('group', 'retry', ids.failed);

    // Assess
    expect(code).toBe(0);
    expect(value).toMatchObject({
      action: 'retry',
      groupId: ids.failed,
      from: 'failed',
      to: 'running',
      by: 'test-operator',
    });
    const submitted = fixture.batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input.jobName);
    expect(submitted).toEqual([`range-${fixture.origin + 3n}-${fixture.origin + 6n}-a3`]);
    const shown = await fixture.opsJson('group', 'show', ids.failed);
    expect(shown.value.group).toMatchObject({ status: 'running', attempt: 3 });
    expect(shown.value.operatorActions).toEqual([
      { action: 'retry', by: 'test-operator', at: value.at, from: 'failed', to: 'retried' },
    ]);
  });

  it('refuses a move the transition table forbids, listing the allowed ones', async () => {
    // Act
    const running = await fixture.ops('group', 'retry', ids.running);
    const split = await fixture.ops('group', 'abandon', ids.split, '--reason', 'bad block');

    // Assess
    expect(running.code).toBe(1);
    expect(running.stderr).toBe(
      `error: group ${ids.running} is "running": retry moves a failed or abandoned group to "retried"; from "running" the transition table allows: succeeded, failed, invalidated\n`,
    );
    expect(split.stderr).toBe(
      `error: group ${ids.split} is "split": abandon moves a failed group to "abandoned"; from "split" the transition table allows: invalidated; to prove its blocks again: \`npm run ops -- prove-range ${fixture.origin} ${fixture.origin + 3n} --stage range\`\n`,
    );
  });

  it('bisects a failed group into two children that are handed over at once', async () => {
    // Prepare
    await leaveFailed(fixture.deps, ids.running);

    // Act
    const { code, value } = await fixture.opsJson('group', 'bisect', ids.running);

    // Assess
    expect(code).toBe(0);
    expect(value).toMatchObject({ from: 'failed', to: 'split', children: [span(6n, 8n), span(8n, 9n)] });
    const children = await fixture.opsJson('groups', 'list', '--status', 'running');
    expect(children.value.map((g: { id: string }) => g.id)).toEqual(
      expect.arrayContaining([span(6n, 8n), span(8n, 9n)]),
    );
  });

  it('refuses to bisect a one-member group', async () => {
    // Prepare
    await leaveFailed(fixture.deps, span(8n, 9n));

    // Act
    const { code, stderr } = await fixture.ops('group', 'bisect', span(8n, 9n));

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: group ${span(8n, 9n)} cannot be bisected: it has 1 member(s) or stage "range" is not Sequential; retry it or abandon it with a reason\n`,
    );
  });

  it('abandons a failed group only with a reason, stored on the group item', async () => {
    // Act
    const unexplained = await fixture.ops('group', 'abandon', span(8n, 9n));
    const { code, value } = await fixture.opsJson(
      'group',
      'abandon',
      span(8n, 9n),
      '--reason',
      'block 9 is malformed',
    );

    // Assess
    expect(unexplained.stderr).toBe(
      `error: group abandon ${span(8n, 9n)}: say why with --reason "…" (stored on the group for the next person)\n`,
    );
    expect(code).toBe(0);
    expect(value).toMatchObject({ from: 'failed', to: 'abandoned', reason: 'block 9 is malformed' });
    const item = await fixture.deps.store.get(span(8n, 9n));
    expect(item?.status).toBe('abandoned');
    expect(item?.data.expiredReason).toBe(`abandoned by test-operator at ${value.at}: block 9 is malformed`);
  });

  it('retries an abandoned group: a new attempt with its failures reset, recorded after the abandon', async () => {
    // Prepare: span(8n, 9n) was abandoned by the previous test after one failed attempt.
    fixture.batch.resetHistory();
    const before = await fixture.opsJson('group', 'show', span(8n, 9n));

    // Act
    const { code, value } = await fixture.opsJson('group', 'retry', span(8n, 9n));

    // Assess
    expect(before.value.group).toMatchObject({ status: 'abandoned', failures: 1 });
    expect(code).toBe(0);
    expect(value).toMatchObject({ action: 'retry', from: 'abandoned', to: 'running', by: 'test-operator' });
    const attempt = before.value.group.attempt + 1;
    const submitted = fixture.batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input.jobName);
    expect(submitted).toEqual([`range-${fixture.origin + 8n}-${fixture.origin + 9n}-a${attempt}`]);
    const shown = await fixture.opsJson('group', 'show', span(8n, 9n));
    expect(shown.value.group).toMatchObject({ status: 'running', attempt, failures: 0, infraFailures: 0 });
    expect(
      shown.value.operatorActions.map((a: { action: string; from: string; to: string }) => [
        a.action,
        a.from,
        a.to,
      ]),
    ).toEqual([
      ['abandon', 'failed', 'abandoned'],
      ['retry', 'abandoned', 'retried'],
    ]);
  });

  it('refuses to retry an abandoned group whose blocks another group now covers', async () => {
    // Prepare: span(8n, 9n) fails and is abandoned again; prove-range proves its blocks in a new group.
    await leaveFailed(fixture.deps, span(8n, 9n));
    await fixture.opsJson('group', 'abandon', span(8n, 9n), '--reason', 'bad prover build');
    const proven = await fixture.opsJson(
      'prove-range',
      String(fixture.origin + 8n),
      String(fixture.origin + 9n),
    );

    // Act
    const { code, stderr } = await fixture.ops('group', 'retry', span(8n, 9n));

    // Assess
    expect(proven.code).toBe(0);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: group ${span(8n, 9n)} cannot be retried: ${proven.value.groupId} (${proven.value.status}) now cover(s) its blocks; look at that group instead\n`,
    );
    expect((await fixture.deps.store.get(span(8n, 9n)))?.status).toBe('abandoned');
  });
});
