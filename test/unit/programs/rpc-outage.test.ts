import { HttpRequestError, LimitExceededRpcError, RpcRequestError, TimeoutError } from 'viem';
import { describe, expect, it } from 'vitest';
import { isRpcOutage } from '../../../batch-jobs/provers/rpc-outage.js';
import { GuestRejectedError, HostInputError } from '../../../batch-jobs/zkvm/errors.js';
import { MessagePasserProofError } from '../../../lambdas/chain/l2-state/message-passer-proof-error.js';
import { RpcAnswerError } from '../../../lambdas/chain/l2-state/rpc-answer-error.js';
import { PipelineError } from '../../../lambdas/core/errors.js';

const url = 'http://127.0.0.1:9';

describe('isRpcOutage: what the prover reports as an infrastructure failure', () => {
  it.each([
    ['HTTP 429', new HttpRequestError({ url, status: 429, body: {} })],
    ['HTTP 502', new HttpRequestError({ url, status: 502 })],
    ['a timeout', new TimeoutError({ body: {}, url })],
    [
      'a rate-limit answer',
      new LimitExceededRpcError(
        new RpcRequestError({ body: {}, url, error: { code: -32005, message: 'limit' } }),
      ),
    ],
    [
      'a garbled answer',
      new RpcAnswerError('L2 block 7: unexpected eth_getBlock answer: hash: expected hex'),
    ],
    [
      'an account proof that does not verify against its header',
      new MessagePasserProofError(
        'L2 block 7: the message passer proof does not verify against the stateRoot',
      ),
    ],
    [
      'an outage deep in the cause chain',
      new PipelineError('fetching headers failed', {
        cause: new Error('x', { cause: new TimeoutError({ body: {}, url }) }),
      }),
    ],
  ])('%s is an outage', (_, error) => {
    expect(isRpcOutage(error)).toBe(true);
  });

  it.each([
    [
      'the guest refusing its input',
      new GuestRejectedError('range', 'parent-hash', 'block 7 does not follow block 6'),
    ],
    [
      'the chain disagreeing with the request',
      new HostInputError('block 7 hash differs from the one the watcher saw'),
    ],
    ['a plain error', new Error('witness mismatch')],
    ['not an error', 'boom'],
  ])('%s is not', (_, error) => {
    expect(isRpcOutage(error)).toBe(false);
  });
});
