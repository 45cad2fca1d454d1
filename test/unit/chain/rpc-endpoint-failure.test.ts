import { HttpRequestError, RpcRequestError, TimeoutError } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  endpointFailureOf,
  MAX_RETRY_AFTER_MS,
  retryAfterMsOf,
} from '../../../lambdas/chain/rpc-endpoint-failure.js';

const url = 'http://127.0.0.1:9/v2/KEY';
const now = Date.parse('2026-12-01T14:00:00Z');

describe('retryAfterMsOf', () => {
  it.each([
    ['5', 5000],
    [' 0 ', undefined],
    ['Tue, 01 Dec 2026 14:00:30 GMT', 30_000],
    ['Tue, 01 Dec 2026 13:59:00 GMT', undefined],
    ['86400', MAX_RETRY_AFTER_MS],
    ['soon', undefined],
    [null, undefined],
  ])('Retry-After %s → %s ms', (header, expected) => {
    // Act
    const ms = retryAfterMsOf(header, now);
    // Assess
    expect(ms).toBe(expected);
  });
});

describe('endpointFailureOf', () => {
  it.each([
    ['a timeout', new TimeoutError({ body: {}, url }), 'timeout', 'timed out after 400 ms'],
    [
      'an HTTP 429 with Retry-After',
      new HttpRequestError({ body: {}, url, status: 429, headers: new Headers({ 'retry-after': '7' }) }),
      'rate-limited',
      'Retry-After 7 s',
    ],
    [
      'a JSON-RPC limit-exceeded answer',
      new RpcRequestError({ body: {}, url, error: { code: -32005, message: 'limit exceeded' } }),
      'rate-limited',
      'code -32005',
    ],
    [
      'an HTTP 503',
      new HttpRequestError({ body: {}, url, status: 503, details: 'Service Unavailable' }),
      'http-error',
      'answered HTTP 503: Service Unavailable',
    ],
    [
      'a body that is not JSON',
      new HttpRequestError({ body: {}, url, cause: new SyntaxError('Unexpected end of JSON input') }),
      'garbled',
      'not JSON',
    ],
    [
      'a refused connection',
      new HttpRequestError({ body: {}, url, cause: new TypeError('fetch failed') }),
      'unreachable',
      'could not be reached',
    ],
  ])('%s is a failure of the endpoint', (_, error, kind, summary) => {
    // Act
    const failure = endpointFailureOf(error, { now, timeoutMs: 400 });
    // Assess
    expect(failure?.kind).toBe(kind);
    expect(failure?.summary).toContain(summary);
    expect(failure?.summary).not.toContain('KEY');
  });

  it('takes Retry-After from the HTTP error in the cause chain', () => {
    // Prepare
    const error = new RpcRequestError({
      body: {},
      url,
      status: 429,
      headers: new Headers({ 'retry-after': '3' }),
      error: { code: 429, message: 'too many requests' },
    });
    // Act
    const failure = endpointFailureOf(error, { now });
    // Assess
    expect(failure).toMatchObject({ kind: 'rate-limited', retryAfterMs: 3000 });
  });

  it.each([
    ['nonce too low', -32000],
    ['execution reverted', 3],
    ['invalid params', -32602],
  ])('a node answer (%s) is not a failure of the endpoint', (message, code) => {
    // Act
    const failure = endpointFailureOf(new RpcRequestError({ body: {}, url, error: { code, message } }), {
      now,
    });
    // Assess
    expect(failure).toBeUndefined();
  });
});
