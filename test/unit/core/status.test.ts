import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../../lambdas/core/errors.js';
import {
  assertTransition,
  canTransition,
  GROUP_TRANSITIONS,
  type GroupStatus,
  MESSAGE_TRANSITIONS,
  type MessageStatus,
} from '../../../lambdas/core/status.js';

const MESSAGE_ALLOWED: [MessageStatus, MessageStatus][] = [
  ['pending', 'collected'],
  ['pending', 'expired'],
  ['pending', 'proposed'],
  ['pending', 'skipped'],
  ['pending', 'superseded'],
  ['superseded', 'pending'],
  ['proposed', 'pending'],
  // An L2 rewind: work above the common ancestor is invalidated, kept members are collected again,
  // and a later attempt of the producer replaces an invalidated message.
  ['pending', 'invalidated'],
  ['superseded', 'invalidated'],
  ['collected', 'invalidated'],
  ['collected', 'pending'],
  ['invalidated', 'pending'],
  ['superseded', 'collected'],
  ['collected', 'superseded'],
];

const GROUP_ALLOWED: [GroupStatus, GroupStatus][] = [
  ['collected', 'awaiting-checkpoint'],
  ['collected', 'running'],
  ['collected', 'failed'],
  // A join stage's group runs no job: it succeeds (its result handed on) straight from collected.
  ['collected', 'succeeded'],
  ['awaiting-checkpoint', 'running'],
  ['awaiting-checkpoint', 'failed'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['failed', 'retried'],
  ['failed', 'split'],
  ['failed', 'abandoned'],
  ['retried', 'running'],
  ['retried', 'awaiting-checkpoint'],
  ['retried', 'failed'],
  // A join group whose members were re-proven in place joins again.
  ['retried', 'collected'],
  ['succeeded', 'retried'],
  // Only a person (`ops group retry`) moves an abandoned group on.
  ['abandoned', 'retried'],
  // An L2 rewind invalidates a group in any state; a collector re-forms it on the canonical blocks.
  ...(
    [
      'collected',
      'awaiting-checkpoint',
      'running',
      'failed',
      'retried',
      'succeeded',
      'split',
      'abandoned',
    ] as const
  ).map((from): [GroupStatus, GroupStatus] => [from, 'invalidated']),
  ['invalidated', 'collected'],
];

function everyPair<S extends string>(states: readonly S[], allowed: [S, S][]): [S, S, boolean][] {
  return states.flatMap((from) =>
    states.map((to): [S, S, boolean] => [from, to, allowed.some(([a, b]) => a === from && b === to)]),
  );
}

describe('message status transitions', () => {
  const states = Object.keys(MESSAGE_TRANSITIONS) as MessageStatus[];

  it.each(everyPair(states, MESSAGE_ALLOWED))('%s → %s allowed: %s', (from, to, allowed) => {
    // Act + Assess
    expect(canTransition(MESSAGE_TRANSITIONS, from, to)).toBe(allowed);
    if (allowed) expect(() => assertTransition(MESSAGE_TRANSITIONS, 'message m', from, to)).not.toThrow();
    else
      expect(() => assertTransition(MESSAGE_TRANSITIONS, 'message m', from, to)).toThrow(
        InvalidTransitionError,
      );
  });
});

describe('group status transitions', () => {
  const states = Object.keys(GROUP_TRANSITIONS) as GroupStatus[];

  it.each(everyPair(states, GROUP_ALLOWED))('%s → %s allowed: %s', (from, to, allowed) => {
    // Act + Assess
    expect(canTransition(GROUP_TRANSITIONS, from, to)).toBe(allowed);
    if (allowed) expect(() => assertTransition(GROUP_TRANSITIONS, 'group g', from, to)).not.toThrow();
    else
      expect(() => assertTransition(GROUP_TRANSITIONS, 'group g', from, to)).toThrow(InvalidTransitionError);
  });

  it('names the item, both states and the allowed targets when refusing', () => {
    expect(() => assertTransition(GROUP_TRANSITIONS, 'group range/0-5', 'abandoned', 'running')).toThrow(
      'group range/0-5: cannot go from "abandoned" to "running"; allowed: retried, invalidated',
    );
    expect(() => assertTransition(GROUP_TRANSITIONS, 'group range/0-5', 'succeeded', 'running')).toThrow(
      'allowed: retried, invalidated',
    );
    expect(() => assertTransition(MESSAGE_TRANSITIONS, 'message blocks/1', 'skipped', 'pending')).toThrow(
      'message blocks/1: cannot go from "skipped" to "pending"; allowed: none (terminal)',
    );
  });
});
