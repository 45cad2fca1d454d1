import type { MemoryStateStore } from '../../lambdas/adapters/memory/memory-state-store.js';

/** The error a simulated crash throws; anything else escaping a handler is a finding. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash at ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * Crashes one operation (a delivery, a completion, a proposer call, a scheduled run) after its
 * k-th store write: that write and every later side effect of the operation (writes, submits,
 * publishes) throw, as if the process had died there. `check` is what the other ports call.
 */
export class CrashSwitch {
  private armedAt: number | undefined;
  private writes = 0;
  private dead = false;
  crashes = 0;

  constructor(store: MemoryStateStore) {
    store.beforeWrite = (operation, id) => {
      this.writes += 1;
      if (this.armedAt !== undefined && this.writes >= this.armedAt) this.die(`${operation} ${id}`);
      this.check(`${operation} ${id}`);
    };
  }

  /** Runs `operation`, crashing it at its `crashAtWrite`-th store write (undefined: no crash). */
  async run<T>(crashAtWrite: number | undefined, operation: () => Promise<T>): Promise<T> {
    this.armedAt = crashAtWrite;
    this.writes = 0;
    this.dead = false;
    try {
      return await operation();
    } finally {
      this.armedAt = undefined;
      this.dead = false;
    }
  }

  /** Throws when the current operation has crashed. */
  check(where: string): void {
    if (this.dead) throw new SimulatedCrash(where);
  }

  private die(where: string): void {
    if (!this.dead) this.crashes += 1;
    this.dead = true;
    throw new SimulatedCrash(where);
  }
}
