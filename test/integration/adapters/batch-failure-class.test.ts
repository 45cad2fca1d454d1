import { describe, expect, it } from 'vitest';
import { batchFailureClass } from '../../../lambdas/adapters/aws/batch-failure-class.js';
import {
  BATCH_RETRY_RULES,
  BATCH_RUNNABLE_CANCEL_REASONS,
} from '../../../lambdas/core/config/batch-job-settings.js';

describe('batchFailureClass', () => {
  it.each([
    ['CannotPullContainerError: pull access denied for prover', undefined, 'infrastructure'],
    ['ResourceInitializationError: unable to pull secrets or registry auth', undefined, 'infrastructure'],
    ['CannotStartContainerError: Error response from daemon', undefined, 'infrastructure'],
    ['Host EC2 (instance i-0abc) terminated.', undefined, 'infrastructure'],
    ['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', undefined, 'infrastructure'],
    [
      'Job cancelled: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - the job resource requirement is higher than the CEs can meet',
      undefined,
      'infrastructure',
    ],
    ['MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE', undefined, 'infrastructure'],
    ['Essential container in task exited', 75, 'infrastructure'],
    ['Essential container in task exited', 78, 'configuration'],
    ['Essential container in task exited', 1, 'prover'],
    ['Essential container in task exited', undefined, 'prover'],
  ] as const)('classifies "%s" (exit %s) as a %s failure', (reason, exitCode, expected) => {
    // Act
    const failureClass = batchFailureClass([reason], exitCode);
    // Assess
    expect(failureClass).toBe(expected);
  });

  it('classifies every status reason the Batch retry strategy retries as infrastructure', () => {
    // Prepare
    const retried = BATCH_RETRY_RULES.filter((rule) => rule.action === 'RETRY').map((rule) =>
      (rule.onStatusReason ?? '').replace(/\*$/, ': something went wrong'),
    );
    // Act
    const classes = retried.map((reason) => batchFailureClass([reason], 1));
    // Assess
    expect(retried).toHaveLength(4);
    expect(classes).toEqual(retried.map(() => 'infrastructure'));
  });

  it('classifies each RUNNABLE time limit reason as infrastructure', () => {
    // Act
    const classes = BATCH_RUNNABLE_CANCEL_REASONS.map((reason) => batchFailureClass([reason], undefined));
    // Assess
    expect(classes).toEqual(['infrastructure', 'infrastructure', 'infrastructure']);
  });
});

describe('BATCH_RETRY_RULES', () => {
  it('retry host, image pull, task initialisation and container start failures, then exit on anything', () => {
    // Assess
    expect(BATCH_RETRY_RULES).toEqual([
      { action: 'RETRY', onStatusReason: 'Host EC2*' },
      { action: 'RETRY', onStatusReason: 'CannotPullContainerError*' },
      { action: 'RETRY', onStatusReason: 'ResourceInitializationError*' },
      { action: 'RETRY', onStatusReason: 'CannotStartContainerError*' },
      { action: 'EXIT', onReason: '*' },
    ]);
  });
});
