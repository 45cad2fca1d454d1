import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../lambdas/adapters/memory/memory-blob-store.js';
import {
  InvalidInputError,
  InvalidKeyError,
  MissingBlobError,
  PipelineError,
} from '../../../lambdas/core/errors.js';
import { keyInterval } from '../../../lambdas/core/messages/ids.js';
import { makeEnvelope } from '../../../lambdas/core/messages/make-envelope.js';
import { parseGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import { messageData, messagePayload } from '../../../lambdas/core/orchestrator/messages/message-records.js';
import { runCollectors } from '../../../lambdas/core/orchestrator/run-collectors.js';
import { makeDeps } from './orchestrator/orchestrator-fixture.js';

function captured(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('core errors are PipelineErrors naming the value', () => {
  it.each([
    ['x', 'block', 'block key "x" is not a decimal block number'],
    ['01', 'block', 'block key "01" is not a decimal block number'],
    ['5', 'range', 'range key "5" is not of the form "<start>-<end>"'],
    ['9-3', 'range', 'range key "9-3" has end ≤ start'],
  ] as const)('keyInterval(%s, %s)', (key, kind, message) => {
    // Act
    const error = captured(() => keyInterval(key, kind));
    // Assess
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ message, key });
  });

  it('messagePayload: a missing payload blob names the key and the message', async () => {
    // Prepare
    const t = makeDeps();
    const { payload: _, ...envelope } = makeEnvelope('blocks', '7', {}, t.clock.now());
    // Act
    const read = messagePayload(new MemoryBlobStore(), { ...envelope, payloadKey: 'payloads/blocks/7.json' });
    // Assess
    await expect(read).rejects.toBeInstanceOf(MissingBlobError);
    await expect(read).rejects.toMatchObject({ key: 'payloads/blocks/7.json' });
    await expect(read).rejects.toThrow(
      'blob payloads/blocks/7.json referred to by the payload of message blocks/7 is missing from the blob store',
    );
  });

  it('a corrupt sequential cursor names the cursor item and the field', async () => {
    // Prepare
    const t = makeDeps();
    await t.store.create({
      id: 'cursor/range',
      kind: 'cursor',
      status: 'active',
      sortKey: 'range',
      data: { position: 'x' },
    });
    // Act
    const run = runCollectors(t.deps, [t.deps.config.stages[0]!]);
    // Assess
    await expect(run).rejects.toThrow(InvalidInputError);
    await expect(run).rejects.toThrow(/^invalid cursor item cursor\/range: data\.position: .*\(got "x"\)$/);
  });

  it('corrupt group and message items name the item id and the field', () => {
    // Prepare
    const item = {
      id: 'range/0-5',
      kind: 'group#range',
      status: 'collected',
      sortKey: '0',
      version: 1,
      updatedAt: '',
    };
    // Act + Assess
    expect(() =>
      parseGroup({ ...item, data: { stage: 'range', start: '0', end: '5', memberIds: [] } }),
    ).toThrow(/^invalid group item range\/0-5: data\.attempt: .*\(got nothing\)$/);
    expect(() => messageData({ ...item, id: 'blocks/1', data: { envelope: { v: 2 } } })).toThrow(
      PipelineError,
    );
    expect(() => messageData({ ...item, id: 'blocks/1', data: { envelope: { v: 2 } } })).toThrow(
      /^invalid message item blocks\/1: data\.envelope\.v: /,
    );
  });
});
