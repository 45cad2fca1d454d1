import { SubmitJobCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { blockEnvelope, leaveFailed, type OpsFixture, startOpsFixture } from './ops-fixture.js';

describe('ops prove-range against the local stand-ins', () => {
  let fixture: OpsFixture;
  let origin: bigint;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-prove');
    origin = fixture.origin;
    for (let n = origin + 1n; n <= origin + 6n; n++) await dispatchMessage(fixture.deps, blockEnvelope(n));
    await leaveFailed(fixture.deps, `range/${origin}-${origin + 3n}`);
    const abandoned = await fixture.ops(
      'group',
      'abandon',
      `range/${origin}-${origin + 3n}`,
      '--reason',
      'bad prover build',
    );
    if (abandoned.code !== 0) throw new Error(abandoned.stderr);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('re-proves the span of an abandoned group as a new group from the collected blocks', async () => {
    // Prepare
    fixture.batch.resetHistory();

    // Act
    const { code, value } = await fixture.opsJson(
      'prove-range',
      String(origin),
      String(origin + 3n),
      '--stage',
      'range',
    );

    // Assess
    expect(code).toBe(0);
    const id = `range/${origin}-${origin + 3n}-p1`;
    expect(value).toEqual({
      groupId: id,
      stage: 'range',
      start: String(origin),
      end: String(origin + 3n),
      members: [1n, 2n, 3n].map((n) => `blocks/${origin + n}`),
      status: 'running',
    });
    const names = fixture.batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input.jobName);
    expect(names).toEqual([expect.stringMatching(/^range-m[0-9a-f]{40}-a1$/)]);
    const shown = await fixture.opsJson('group', 'show', id);
    expect(shown.value.operatorActions).toMatchObject([
      { action: 'prove-range', by: 'test-operator', to: 'collected' },
    ]);
  });

  it('refuses a span overlapping groups of the stage that still cover their blocks, naming them', async () => {
    // Act
    const { code, stderr } = await fixture.ops('prove-range', String(origin + 2n), String(origin + 5n));

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: prove-range ${origin + 2n} ${origin + 5n} overlaps range/${origin}-${origin + 3n}-p1 (running), range/${origin + 3n}-${origin + 6n} (running) of stage "range": retry or bisect that group instead, or pick a span outside it\n`,
    );
  });

  it('refuses a span the collectors have not collected, and an empty span', async () => {
    // Act
    const uncollected = await fixture.ops('prove-range', String(origin + 6n), String(origin + 9n));
    const empty = await fixture.ops('prove-range', '7', '7');

    // Assess
    expect(uncollected.stderr).toBe(
      `error: prove-range ${origin + 6n} ${origin + 9n}: no collected blocks message starts at ${origin + 6n} (blocks from ${origin + 7n} are not collected yet, or their results are missing): wait for the collectors, or pick a span they have collected\n`,
    );
    expect(empty.stderr).toBe(
      'error: prove-range 7 7: the end must be above the start (the range proves blocks start+1 … end)\n',
    );
  });
});
