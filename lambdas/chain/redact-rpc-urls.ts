/**
 * RPC URLs may carry credentials (proxyd and provider URLs put API keys in the path, the query or
 * the userinfo), and viem puts the URL of a failing request into its error message, `details`,
 * `url` and stack. Everything a handler logs or rethrows passes through here first.
 */

/** What replaces the path, query and userinfo of a URL. */
const REDACTED_URL = '<redacted-url>';

/** http(s) and ws(s) URLs: the schemes of RPC endpoints. s3:// keys and the like stay readable. */
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'`<>]+/gi;

/** Characters that end a sentence or a parenthesis rather than a URL. */
const TRAILING_PUNCTUATION = /[)\]}.,;:!?]+$/;

/** Walks at most this deep into attributes and cause chains (they may be cyclic or huge). */
const MAX_DEPTH = 8;

/**
 * Replaces every http(s)/ws(s) URL in `text` by its origin (scheme, host, port: never userinfo)
 * followed by `/<redacted-url>` when it had a path, query or fragment. Redacting twice changes nothing.
 *
 * @example
 * redactUrlsInText('URL: https://user:pw@rpc.example/v2/KEY?x=1') // 'URL: https://rpc.example/<redacted-url>'
 */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_PATTERN, (found: string, offset: number) => {
    // Punctuation after a URL ("(http://host:8545)", "at http://host.") is the sentence's, not the URL's.
    const trailing = TRAILING_PUNCTUATION.exec(found)?.[0] ?? '';
    const match = found.slice(0, found.length - trailing.length);
    return (
      redactUrl(match, text.startsWith(REDACTED_URL, offset + found.length) && trailing === '') + trailing
    );
  });
}

/** One URL's redaction; `alreadyRedacted` when `<redacted-url>` follows it in the text. */
function redactUrl(match: string, alreadyRedacted: boolean): string {
  let url: URL;
  try {
    url = new URL(match);
  } catch {
    return REDACTED_URL;
  }
  const origin = `${url.protocol}//${url.host}`;
  // Already redacted (an endpoint's name in an error, redacted again by the logger): stays as it is.
  if (alreadyRedacted && match.endsWith('/')) return `${origin}/`;
  const rest = url.pathname === '/' && url.search === '' && url.hash === '' ? '' : `/${REDACTED_URL}`;
  return `${origin}${rest}`;
}

/**
 * A copy of `value` with the URLs in every string redacted (`redactUrlsInText`), for log
 * attributes. Plain objects and arrays are copied; errors are redacted in place
 * (`redactErrorUrls`), so that the error a handler rethrows is the redacted one; other objects
 * (byte arrays, dates) are returned as they are.
 */
export function redactUrls<T>(value: T): T {
  return redactValue(value, 0, new WeakSet()) as T;
}

/**
 * Redacts, in place, the URLs in an error's message, stack and every own string property
 * (viem: `details`, `shortMessage`, `url`, `metaMessages`), through its `cause` chain and the
 * `errors` of an AggregateError. The error keeps its class. Returns the same error.
 */
export function redactErrorUrls<T>(error: T): T {
  if (error instanceof Error) redactErrorInPlace(error, 0, new WeakSet());
  return error;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactUrlsInText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) {
    redactErrorInPlace(value, depth, seen);
    return value;
  }
  if (seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactValue(item, depth + 1, seen));
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  seen.add(value);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1, seen)]),
  );
}

function redactErrorInPlace(error: Error, depth: number, seen: WeakSet<object>): void {
  if (seen.has(error) || depth > MAX_DEPTH) return;
  seen.add(error);
  const record = error as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.getOwnPropertyNames(error), 'message', 'stack'])) {
    const current = record[key];
    if (current === null || current === undefined || typeof current === 'function') continue;
    // A nested error (`cause`, `errors[i]`) is redacted in place and comes back as itself.
    const redacted = redactValue(current, depth + 1, seen);
    if (redacted === current) continue;
    try {
      record[key] = redacted;
    } catch {
      // A read-only property: nothing else to do with it; the other fields are still redacted.
    }
  }
}
