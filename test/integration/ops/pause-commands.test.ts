import { SubmitJobCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { runCollectors } from '../../../lambdas/core/orchestrator/run-collectors.js';
import { blockEnvelope, leaveFailed, type OpsFixture, startOpsFixture } from './ops-fixture.js';

describe('ops pause / resume against the local stand-ins', () => {
  let fixture: OpsFixture;
  const submitted = () =>
    fixture.batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input.jobName);

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-pause');
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('refuses a pause without a reason, and a target that is not watcher, proposer or a stage', async () => {
    // Act
    const noReason = await fixture.ops('pause', 'proposer');
    const unknown = await fixture.ops('pause', 'ranges', '--reason', 'typo');
    const missing = await fixture.ops('resume');

    // Assess
    expect(noReason).toMatchObject({
      code: 1,
      stderr:
        'error: pause proposer: --reason "…" is required (it is what the next person reads in status)\n',
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'error: invalid pause target: "ranges" is not a pause target: use watcher, proposer or a stage (range, aggregate)\n',
    );
    expect(missing.stderr).toBe('error: missing argument: resume <watcher|proposer|stage>\n');
    expect(await fixture.deps.store.get('pause/proposer')).toBeUndefined();
  });

  it('pauses a stage: no job is submitted (a retry waits in retried) until resume; each move is in the operator log', async () => {
    // Prepare: range/o-o+3 running, then failed (as after a crash before its failure policy)
    const { origin, deps } = fixture;
    const id = `range/${origin}-${origin + 3n}`;
    for (let n = origin + 1n; n <= origin + 3n; n++) await dispatchMessage(deps, blockEnvelope(n));
    await leaveFailed(deps, id);
    fixture.batch.resetHistory();

    // Act: pause, then a retry and three more blocks while paused
    const paused = await fixture.opsJson('pause', 'stage:range', '--reason', 'new prover image under test');
    const retry = await fixture.opsJson('group', 'retry', id);
    for (let n = origin + 4n; n <= origin + 6n; n++) await dispatchMessage(deps, blockEnvelope(n));

    // Assess
    expect(paused).toMatchObject({
      code: 0,
      value: {
        action: 'pause',
        target: 'stage:range',
        switchId: 'pause/stage/range',
        switch: { reason: 'new prover image under test', by: 'test-operator', setter: 'operator' },
        log: [{ action: 'pause', by: 'test-operator', from: 'running', to: 'paused' }],
      },
    });
    expect(retry.value).toMatchObject({ action: 'retry', from: 'failed', to: 'retried' });
    expect(submitted()).toEqual([]);
    expect((await deps.store.get(`range/${origin + 3n}-${origin + 6n}`))!.status).toBe('collected');

    // Act: resume, then the scheduled run's sweep
    const resumed = await fixture.ops('resume', 'range', '--reason', 'image verified');
    await runCollectors(deps, deps.config.stages, { sweeps: true });

    // Assess
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(
      /^resumed stage:range, paused since \S+ by test-operator \(new prover image under test\); by test-operator at \S+\n/,
    );
    expect(resumed.stdout).toMatch(/^pause\s+test-operator\s+\S+\s+new prover image under test$/m);
    expect(resumed.stdout).toMatch(/^resume\s+test-operator\s+\S+\s+image verified$/m);
    // The collected group starts at once; the retried one when the sweep finds it stalled, 60 s
    // after its write (test/unit/core/orchestrator/stage-pause.test.ts moves the clock for that).
    expect(submitted()).toEqual([`range-${origin + 3n}-${origin + 6n}-a1`]);
    expect((await deps.store.get(id))!).toMatchObject({ status: 'retried', data: { attempt: 2 } });
    expect(await deps.store.get('pause/stage/range')).toBeUndefined();
  });

  it('pausing a paused target keeps its since and replaces the reason; resuming a running one changes nothing and says so', async () => {
    // Act
    const first = await fixture.opsJson('pause', 'watcher', '--reason', 'sequencer migration');
    const again = await fixture.opsJson('pause', 'watcher', '--reason', 'migration takes longer');
    await fixture.ops('resume', 'watcher');
    const idle = await fixture.ops('resume', 'watcher');

    // Assess
    expect(again.value.switch).toMatchObject({
      since: first.value.switch.since,
      reason: 'migration takes longer',
    });
    expect(again.value.log.map((entry: { from: string }) => entry.from)).toEqual(['running', 'paused']);
    expect(idle).toMatchObject({ code: 0 });
    expect(idle.stdout).toMatch(
      /^watcher was not paused; nothing changed \(recorded, by test-operator at \S+\)\n/,
    );
  });
});
