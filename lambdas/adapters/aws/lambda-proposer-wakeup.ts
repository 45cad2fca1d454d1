import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ProposerWakeup, ProposerWakeupReason } from '../../core/ports/proposer-wakeup.js';

/** The event a woken proposer receives (it reads none of it; the reason is there for its logs). */
export interface ProposerWakeupEvent {
  readonly source: typeof PROPOSER_WAKEUP_SOURCE;
  readonly 'detail-type': 'Proposer Wake-up';
  readonly detail: { readonly reason: ProposerWakeupReason };
}

/** `source` of a wake-up event, so the proposer's logs tell it from a scheduled run. */
export const PROPOSER_WAKEUP_SOURCE = 'rollup-prover.proposer-wakeup';

export interface LambdaProposerWakeupOptions {
  readonly client: LambdaClient;
  /** The proposer function's name or ARN (`PROPOSER_FUNCTION_NAME`). */
  readonly functionName: string;
}

/**
 * Wakes the proposer function with an asynchronous `Invoke` (`InvocationType: 'Event'`): Lambda
 * queues the event and answers 202 at once. With the proposer's reserved concurrency 1, an event
 * that arrives during a run is throttled and retried by Lambda's async queue (up to its maximum
 * event age, then dropped: the schedule sweeps), and the signer lease still guards its runs.
 * @throws the SDK's error, or an Error naming the function and status when Lambda did not queue it.
 */
export class LambdaProposerWakeup implements ProposerWakeup {
  constructor(private readonly options: LambdaProposerWakeupOptions) {}

  async wake(reason: ProposerWakeupReason): Promise<void> {
    const event: ProposerWakeupEvent = {
      source: PROPOSER_WAKEUP_SOURCE,
      'detail-type': 'Proposer Wake-up',
      detail: { reason },
    };
    const response = await this.options.client.send(
      new InvokeCommand({
        FunctionName: this.options.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    if (response.StatusCode !== 202) {
      throw new Error(
        `asynchronous Invoke of ${this.options.functionName}: expected status 202 (queued), got ${response.StatusCode}`,
      );
    }
  }
}
