/** Calls per client and command, e.g. `calls.DynamoDBClient.PutCommand`. */
export type CallCounts = Record<string, Record<string, number>>;

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name?: string },
    ): void;
  };
}

/** Adds a middleware counting every command the client sends into `counts`. */
export function counted<T>(client: T, counts: CallCounts): T {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const service = context.clientName ?? 'unknown';
      const command = context.commandName ?? 'unknown';
      const byCommand = counts[service] ?? {};
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      counts[service] = byCommand;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  return client;
}
