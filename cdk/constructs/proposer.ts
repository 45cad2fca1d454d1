import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { HANDLER_ENV } from '../../lambdas/core/config/environment-names.js';
import { ARTIFACT_PREFIX } from '../../lambdas/core/messages/blob-keys.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';
import type { ProposerSigningKey } from './proposer-signing-key.js';
import type { ProvingCluster } from './proving-cluster.js';
import type { RpcEndpoints } from './rpc-endpoints.js';
import { assertScheduleMinutes, scheduleRule } from './schedule-rule.js';
import { grantStateAccess } from './state-access.js';

export interface ProposerProps {
  readonly function: Omit<PipelineFunctionProps, 'description' | 'timeout' | 'reservedConcurrentExecutions'>;
  /** Minutes between runs (EventBridge `rate(N minutes)`). */
  readonly everyMinutes: number;
  /** The proposer's lease on its signer: an invocation must end before it expires. */
  readonly leaseSeconds: number;
  readonly state: PipelineState;
  readonly signingKey: ProposerSigningKey;
  readonly rpcEndpoints: RpcEndpoints;
  readonly cluster: ProvingCluster;
  /** Stages the proposer starts jobs for once it has checkpointed an L1 block (`l1Checkpoint`). */
  readonly checkpointedStages: readonly string[];
}

/** Seconds an invocation leaves before its lease (or the next scheduled run) to finish cleanly. */
const LEASE_MARGIN_SECONDS = 30;
const MIN_TIMEOUT_SECONDS = 60;
/** Lambda function names are at most 64 characters. */
const FUNCTION_NAME_BYTES = 64;

/**
 * The proposer: one invocation at a time (reserved concurrency 1; one signer, one writer) every
 * N minutes, and between runs when a caller allowed by `allowWakeUpsFrom` wakes it. It checkpoints L1 block hashes, starts the checkpointed aggregate jobs and proposes
 * output roots with the KMS key, the only role allowed to sign with it.
 */
export class Proposer extends Construct {
  readonly function: PipelineFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ProposerProps) {
    super(scope, id);
    assertScheduleMinutes(this, props.everyMinutes);
    const timeoutSeconds = Math.min(props.leaseSeconds, props.everyMinutes * 60) - LEASE_MARGIN_SECONDS;
    if (timeoutSeconds < MIN_TIMEOUT_SECONDS) {
      throw new Error(
        `${this.node.path}: min(leaseSeconds ${props.leaseSeconds}, schedule ${props.everyMinutes * 60} s) − ${LEASE_MARGIN_SECONDS} s leaves a ${timeoutSeconds} s timeout, expected ≥ ${MIN_TIMEOUT_SECONDS} s: raise proposer.leaseSeconds`,
      );
    }
    this.function = new PipelineFunction(this, 'Function', {
      ...props.function,
      description: 'Proposer: checkpoints L1 blocks and proposes proven output roots',
      timeout: Duration.seconds(Math.min(timeoutSeconds, 900)),
      reservedConcurrentExecutions: 1,
    });
    // Proof and member payloads in; the checkpointed aggregate jobs' inputs out.
    grantStateAccess(this.function, props.state, {
      reads: [ARTIFACT_PREFIX.payloads],
      writes: [ARTIFACT_PREFIX.jobs],
    });
    props.signingKey.grantSigning(this.function.role);
    props.rpcEndpoints.grantRead(this.function, ['l1', 'l2']);
    props.cluster.grantSubmit(this.function, props.checkpointedStages);
    this.schedule = scheduleRule(this, {
      everyMinutes: props.everyMinutes,
      description: 'Runs the proposer',
      target: this.function.function,
    });
  }

  /**
   * Lets `caller` wake the proposer (an asynchronous Invoke between scheduled runs): sets
   * `PROPOSER_FUNCTION_NAME` on it and allows `lambda:InvokeFunction` on exactly this function.
   * A wake-up shares the schedule's async invoke config: no retries, dropped after one period
   * (throttled behind a run, it waits in Lambda's queue until then; a later run did its work).
   */
  allowWakeUpsFrom(caller: PipelineFunction): void {
    caller.addEnvironment(HANDLER_ENV.proposerFunctionName, {
      value: this.function.function.functionName,
      maxBytes: FUNCTION_NAME_BYTES,
    });
    caller.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.function.functionArn],
      }),
    );
  }
}
