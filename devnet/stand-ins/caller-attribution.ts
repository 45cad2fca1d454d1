import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, type ClientRequest } from 'node:http';

/** Header that names the local function whose SDK client sent a request (read by `ServiceCallCounter`). */
export const CALLER_HEADER = 'x-devnet-caller';

const callers = new AsyncLocalStorage<string>();
let installed = false;

/**
 * Runs `invocation` as function `caller`: every HTTP request this process sends from inside it (its
 * SDK clients' calls to the stand-ins included) carries `CALLER_HEADER: caller`, so the stand-ins can
 * count AWS calls per function although every handler runs in this one process. The tag follows the
 * invocation's async context, so concurrent invocations of different functions are told apart.
 *
 * The header is set when the request is handed to its agent (`Agent.prototype.addRequest`, called
 * by every `http.request` before the headers are written), which needs no hook in the handlers'
 * composition roots; this process only (the devnet and benchmarks), never a Lambda bundle.
 */
export function attributeCallsTo<T>(caller: string, invocation: () => Promise<T>): Promise<T> {
  installCallerHeader();
  return callers.run(caller, invocation);
}

/** `http.Agent`'s internal hand-over of a request (untyped in @types/node). */
interface AgentInternals {
  addRequest(this: Agent, request: ClientRequest, ...rest: unknown[]): void;
}

function installCallerHeader(): void {
  if (installed) return;
  installed = true;
  const prototype = Agent.prototype as unknown as AgentInternals;
  const addRequest = prototype.addRequest;
  prototype.addRequest = function (this: Agent, request: ClientRequest, ...rest: unknown[]): void {
    const caller = callers.getStore();
    if (caller !== undefined && !request.headersSent) request.setHeader(CALLER_HEADER, caller);
    addRequest.call(this, request, ...rest);
  };
}
