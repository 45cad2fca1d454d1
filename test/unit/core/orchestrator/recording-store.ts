import type { StateStore } from '../../../../lambdas/core/ports/state-store.js';

/** The store calls made through the returned store, as `method id…`. */
export function recordingStore(store: StateStore): { store: StateStore; calls: string[] } {
  const calls: string[] = [];
  const recording = new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const [first, second] = args;
        const what =
          typeof first === 'string'
            ? property === 'list'
              ? `${first} ${String(second)}`
              : first
            : Array.isArray(first)
              ? first.join(',')
              : (first as { id: string }).id;
        calls.push(`${String(property)} ${what}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: recording, calls };
}
