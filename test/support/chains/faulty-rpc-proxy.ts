import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to an answer: pass it on, or break it the way a bad RPC provider does.
 * - `rate-limit`: HTTP 429 with a JSON error body;
 * - `invalid-json`: HTTP 200 with a body that is not JSON;
 * - `garbled-header`: a header answer whose `stateRoot` has one byte flipped (still valid hex);
 * - `garbled-proof`: an `eth_getProof` answer whose first account-proof node has one byte flipped;
 * - `hang`: never answers (the connection stays open until the client gives up or the proxy closes);
 * - `lag`: answers `eth_blockNumber` with the upstream head minus `lagBlocks`, a node behind the others.
 */
export type RpcFault =
  | 'none'
  | 'rate-limit'
  | 'invalid-json'
  | 'garbled-header'
  | 'garbled-proof'
  | 'hang'
  | 'lag';

export interface FaultyRpcProxyOptions {
  /** Blocks the `lag` fault subtracts from the upstream head. @default 20 */
  readonly lagBlocks?: number;
  /** `Retry-After` header (seconds) of `rate-limit` answers; none when undefined. */
  readonly retryAfterSeconds?: number;
}

export interface FaultyRpcProxy {
  readonly url: string;
  /** Sets the fault applied to every answer from now on. */
  setFault(fault: RpcFault): void;
  /** Holds every answer this long before sending it (a slow provider); 0 by default. */
  setDelayMs(ms: number): void;
  /** Requests seen so far, by JSON-RPC method. */
  readonly requests: Map<string, number>;
  close(): Promise<void>;
}

const flipLastByte = (hex: string): string =>
  `${hex.slice(0, -2)}${((Number.parseInt(hex.slice(-2), 16) ^ 0xff) & 0xff).toString(16).padStart(2, '0')}`;

function garble(fault: RpcFault, method: string, answer: { result?: unknown }): unknown {
  const result = answer.result as Record<string, unknown> | null | undefined;
  if (result === null || result === undefined || typeof result !== 'object') return answer;
  if (
    fault === 'garbled-header' &&
    method.startsWith('eth_getBlockBy') &&
    typeof result.stateRoot === 'string'
  )
    return { ...answer, result: { ...result, stateRoot: flipLastByte(result.stateRoot) } };
  if (fault === 'garbled-proof' && method === 'eth_getProof' && Array.isArray(result.accountProof)) {
    const [first, ...rest] = result.accountProof as string[];
    return { ...answer, result: { ...result, accountProof: [flipLastByte(first ?? '0x00'), ...rest] } };
  }
  return answer;
}

function lag(method: string, answer: { result?: unknown }, lagBlocks: number): unknown {
  if (method !== 'eth_blockNumber' || typeof answer.result !== 'string') return answer;
  const head = BigInt(answer.result);
  const lagged = head > BigInt(lagBlocks) ? head - BigInt(lagBlocks) : 0n;
  return { ...answer, result: `0x${lagged.toString(16)}` };
}

/** An HTTP JSON-RPC proxy in front of `upstream` (single requests only) that injects `RpcFault`s. */
export async function startFaultyRpcProxy(
  upstream: string,
  options: FaultyRpcProxyOptions = {},
): Promise<FaultyRpcProxy> {
  let fault: RpcFault = 'none';
  let delayMs = 0;
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const method = String((JSON.parse(body) as { method?: unknown }).method);
        requests.set(method, (requests.get(method) ?? 0) + 1);
        if (fault === 'hang') return;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (fault === 'rate-limit') {
          const retryAfter = options.retryAfterSeconds;
          res.writeHead(429, {
            'content-type': 'application/json',
            ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
          });
          res.end(
            JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: 429, message: 'too many requests' } }),
          );
          return;
        }
        if (fault === 'invalid-json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"jsonrpc":"2.0","result":{"hash":');
          return;
        }
        const answer = await fetch(upstream, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json = (await answer.json()) as { result?: unknown };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        const faulty =
          fault === 'lag' ? lag(method, json, options.lagBlocks ?? 20) : garble(fault, method, json);
        res.end(JSON.stringify(faulty));
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setFault: (next) => {
      fault = next;
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Hung requests hold their connections open; end them so that close returns.
        server.closeAllConnections();
      }),
  };
}
