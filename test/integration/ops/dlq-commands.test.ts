import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../lambdas/core/messages/envelope.js';
import { dispatchMessage } from '../../../lambdas/core/orchestrator/dispatch-message.js';
import { blockEnvelope, type OpsFixture, startOpsFixture } from './ops-fixture.js';

describe('ops dlq list / replay against the SQS stand-in', () => {
  let fixture: OpsFixture;
  let handled: Envelope;
  let unhandled: Envelope;

  beforeAll(async () => {
    fixture = await startOpsFixture('ops-dlq');
    handled = blockEnvelope(fixture.origin + 1n);
    unhandled = blockEnvelope(fixture.origin + 2n);
    // The first was recorded before its delivery ended up dead-lettered (e.g. a timeout after the write).
    await dispatchMessage(fixture.deps, handled);
    const dlq = fixture.standIns.deadLetterQueueName('blocks');
    fixture.standIns.queues.send(dlq, JSON.stringify(handled), {
      id: { DataType: 'String', StringValue: handled.id },
    });
    fixture.standIns.queues.send(dlq, JSON.stringify(unhandled));
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('lists dead-lettered messages without moving them', async () => {
    // Act
    const first = await fixture.opsJson('dlq', 'list', 'blocks');
    const again = await fixture.opsJson('dlq', 'list', 'ops-dlq-blocks-dlq');

    // Assess
    expect(first.code).toBe(0);
    expect(first.value.messages.map((m: { envelopeId: string }) => m.envelopeId).sort()).toEqual(
      [handled.id, unhandled.id].sort(),
    );
    expect(again.value.messages).toHaveLength(2);
    expect(again.value.topic).toBe('blocks');
  });

  it('replays them to the topic queue; the one already handled is a no-op for the dispatcher', async () => {
    // Act
    const { code, value } = await fixture.opsJson('dlq', 'replay', 'blocks');
    const redelivered = fixture.standIns.queues.receive(fixture.standIns.queueName('blocks'), 10);
    const outcomes = await Promise.all(
      redelivered.map((message) => dispatchMessage(fixture.deps, JSON.parse(message.body) as Envelope)),
    );

    // Assess
    expect(code).toBe(0);
    expect(value.messages).toHaveLength(2);
    expect((await fixture.opsJson('dlq', 'list', 'blocks')).value.messages).toEqual([]);
    expect(Object.fromEntries(outcomes.map((o) => [o.messageId, o.recorded]))).toEqual({
      [handled.id]: 'duplicate',
      [unhandled.id]: 'new',
    });
    expect(redelivered.find((m) => JSON.parse(m.body).id === handled.id)?.messageAttributes).toMatchObject({
      id: { StringValue: handled.id },
    });
  });

  it('replays nothing from an empty queue and refuses an unknown topic, naming the known ones', async () => {
    // Act
    const empty = await fixture.opsJson('dlq', 'replay', 'blocks');
    const unknown = await fixture.ops('dlq', 'list', 'block');

    // Assess
    expect(empty.value.messages).toEqual([]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'error: unknown topic "block": the pipeline\'s topics are blocks, range-proofs, aggregate-proofs\n',
    );
  });
});
