import type { ChildProcess } from 'node:child_process';

export interface ReapOptions {
  /**
   * The signal the child gets. SIGTERM suits a node that saves its state on SIGTERM and exits by
   * itself (a persisted anvil). @default 'SIGKILL'
   */
  readonly signal?: 'SIGKILL' | 'SIGTERM';
  /** Signal the child's whole process group (`kill(-pid)`; the child was spawned `detached`). @default false */
  readonly processGroup?: boolean;
  /**
   * On SIGINT / SIGTERM of this process, leave the child to another handler of the signal when there is
   * one (that handler stops it in order); the 'exit' hook still kills it if it is left over. @default false
   */
  readonly deferToSignalHandlers?: boolean;
}

interface Entry {
  readonly child: ChildProcess;
  readonly options: ReapOptions;
}

const live = new Set<Entry>();
let installed = false;

function kill(entry: Entry): void {
  const { child, options } = entry;
  const signal = options.signal ?? 'SIGKILL';
  if (options.processGroup === true && child.pid !== undefined) {
    // The group may outlive its leader (a prover the entrypoint started): signal it even then.
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // no such group: fall back to the child itself
    }
  }
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function onExit(): void {
  for (const entry of live) kill(entry);
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  const alone = process.listenerCount(signal) === 1;
  for (const entry of [...live]) {
    if (alone || entry.options.deferToSignalHandlers !== true) {
      kill(entry);
      live.delete(entry);
    }
  }
  // Keep Node's default "die on SIGINT/SIGTERM" unless someone else handles the signal too.
  if (alone) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Kills `child` (by default with SIGKILL) when this process exits (also through `process.exit`) or gets
 * SIGINT / SIGTERM, so that a crashed or interrupted run leaves no orphan. The child leaves the list when
 * it exits, or when `release` (the returned function) is called. A SIGKILL of this process runs no hook:
 * owners that must survive that persist the pids themselves (see the local job runner).
 */
export function reapOnExit(child: ChildProcess, options: ReapOptions = {}): () => void {
  install();
  const entry: Entry = { child, options };
  live.add(entry);
  const release = (): void => {
    live.delete(entry);
  };
  child.once('exit', () => {
    // A group outlives its leader: keep reaping it until released.
    if (options.processGroup !== true) release();
  });
  return release;
}
