import { BaseError, HttpRequestError, SocketClosedError, TimeoutError } from 'viem';
import { redactUrlsInText } from './redact-rpc-urls.js';

/** What went wrong with an endpoint (not with the request): the next endpoint may do better. */
export type EndpointFailureKind =
  | 'timeout'
  | 'rate-limited'
  | 'http-error'
  | 'unreachable'
  | 'garbled'
  | 'node-error';

/** A failure of the endpoint itself, as opposed to a node answer about the chain (a revert, a nonce). */
export interface EndpointFailure {
  readonly kind: EndpointFailureKind;
  /** How long the endpoint asked us to stay away (`Retry-After` of a rate-limited answer). */
  readonly retryAfterMs?: number;
  /** One line saying what happened, without the URL (the caller names the endpoint). */
  readonly summary: string;
}

/** JSON-RPC codes of a rate limit: HTTP-like 429, EIP-1474 "limit exceeded", QuickNode's -32007. */
const RATE_LIMIT_CODES = new Set([429, -32005, -32007]);
/** JSON-RPC codes of a node failing internally (-32603) or an answer viem could not read (-1). */
const NODE_ERROR_CODES = new Set([-32603, -1]);
/** A `Retry-After` longer than this is taken as this: a typo at the provider must not park an endpoint for days. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Whether `error` (from one endpoint's transport) is a failure of that endpoint: a timeout, a
 * connection error, a non-2xx HTTP status, a rate limit, a body that is not JSON-RPC, or a node
 * failing internally. Returns undefined for a node's answer about the request (a revert, "nonce too
 * low", invalid params), which another endpoint would give as well.
 *
 * @example
 * endpointFailureOf(new TimeoutError({ body: {}, url }), { now, timeoutMs: 400 })
 * // { kind: 'timeout', summary: 'timed out after 400 ms' }
 */
export function endpointFailureOf(
  error: unknown,
  context: { readonly now: number; readonly timeoutMs?: number } = { now: Date.now() },
): EndpointFailure | undefined {
  if (!(error instanceof BaseError)) return undefined;
  if (error.walk((e) => e instanceof TimeoutError) !== null) {
    const after = context.timeoutMs === undefined ? '' : ` after ${context.timeoutMs} ms`;
    return { kind: 'timeout', summary: `timed out${after}` };
  }
  const { now } = context;
  const code = (error as { code?: unknown }).code;
  const http = error.walk((e) => typeof (e as { status?: unknown }).status === 'number') as {
    status: number;
    headers?: Headers;
  } | null;
  const status = http?.status;
  const said = redactUrlsInText(error.details || error.shortMessage);
  if (status === 429 || (typeof code === 'number' && RATE_LIMIT_CODES.has(code))) {
    const retryAfterMs = retryAfterMsOf(http?.headers?.get('retry-after') ?? null, now);
    const waited = retryAfterMs === undefined ? '' : `, Retry-After ${Math.ceil(retryAfterMs / 1000)} s`;
    return {
      kind: 'rate-limited',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      summary: `rate-limited (${status === undefined ? `code ${code}` : `HTTP ${status}`}: ${said}${waited})`,
    };
  }
  if (status !== undefined && (status < 200 || status >= 300)) {
    return { kind: 'http-error', summary: `answered HTTP ${status}: ${said}` };
  }
  if (error.walk((e) => e instanceof SyntaxError) !== null) {
    return {
      kind: 'garbled',
      summary: `answered with a body that is not JSON (HTTP request failed: ${said})`,
    };
  }
  if (error.walk((e) => e instanceof SocketClosedError || e instanceof HttpRequestError) !== null) {
    return { kind: 'unreachable', summary: `could not be reached (HTTP request failed: ${said})` };
  }
  if (typeof code === 'number' && NODE_ERROR_CODES.has(code)) {
    return { kind: 'node-error', summary: `failed internally (code ${code}: ${said})` };
  }
  return undefined;
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3),
 * at most `MAX_RETRY_AFTER_MS`; undefined when absent, unreadable or already past.
 */
export function retryAfterMsOf(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
