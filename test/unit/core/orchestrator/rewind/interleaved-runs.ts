import { AsyncLocalStorage } from 'node:async_hooks';
import type { MemoryStateStore } from '../../../../../lambdas/adapters/memory/memory-state-store.js';

type Actor = 'first' | 'second';

/** How many store writes each run made. */
export interface InterleavedWrites {
  readonly first: number;
  readonly second: number;
}

/**
 * Runs `first` and `second` against one store in the order: `first`'s writes before its write
 * `k`, `second`'s writes before its write `j`, the rest of `first`, the rest of `second`. A run
 * waiting its turn makes no write (its parallel writes wait too); `second` runs after `first` when
 * `first` makes fewer than `k` writes, and to its end when it makes fewer than `j`.
 */
export async function interleavedRuns(
  store: MemoryStateStore,
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
  k: number,
  j: number,
): Promise<InterleavedWrites> {
  const actor = new AsyncLocalStorage<Actor>();
  const writes = { first: 0, second: 0 };
  const firstTurn = gate();
  const secondTurn = gate();
  let secondRun: Promise<unknown> | undefined;
  const startSecond = () => {
    secondRun = actor.run('second', second).finally(() => firstTurn.open());
  };
  const turn = async (): Promise<void> => {
    const who = actor.getStore();
    if (who === 'first') {
      if (secondRun !== undefined) await firstTurn.opened;
      if (++writes.first === k) {
        startSecond();
        await firstTurn.opened;
      }
    } else if (who === 'second') {
      if (secondTurn.paused) await secondTurn.opened;
      if (++writes.second === j) {
        secondTurn.paused = true;
        firstTurn.open();
        await secondTurn.opened;
      }
    }
  };
  const { create, replace, delete: remove, overwriteMany } = store;
  const after =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await turn();
      return write.apply(store, args);
    };
  store.create = after(create);
  store.replace = after(replace);
  store.delete = after(remove);
  store.overwriteMany = after(overwriteMany);
  try {
    await actor.run('first', first);
    if (secondRun === undefined) startSecond();
    secondTurn.open();
    await secondRun;
  } finally {
    Object.assign(store, { create, replace, delete: remove, overwriteMany });
  }
  return writes;
}

/** A promise to wait on and the function that resolves it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open, paused: false };
}
