import { join } from 'node:path';
import { z } from 'zod';
import { type ChainReorg, reorgChain } from '../chains/reorg-chain.js';
import { readJsonSnapshot, writeJsonSnapshot } from '../stand-ins/json-snapshot.js';

/** Which devnet chain a reorg hit. */
export type ReorgedChain = 'l1' | 'l2';

/** A chain the injector reorganises every `everySeconds`, `depth` blocks deep. */
export interface ReorgTarget {
  readonly chain: ReorgedChain;
  readonly rpcUrl: string;
  readonly everySeconds: number;
  readonly depth: number;
  /** Stop after this many reorgs of this chain (failed attempts do not count). @default no limit */
  readonly count?: number;
}

const hash = z.string().regex(/^0x[0-9a-f]{64}$/);

/** One injected reorg as `<state>/reorgs.json` holds it (block numbers as decimal strings). */
export const injectedReorgSchema = z.object({
  chain: z.enum(['l1', 'l2']),
  depth: z.number().int().positive(),
  /** The head height before the reorg (its block changed hash). */
  height: z.string().regex(/^\d+$/),
  ancestor: z.string().regex(/^\d+$/),
  oldHash: hash,
  newHash: hash,
  /** When anvil answered the reorg (ms since the epoch). */
  atMs: z.number().int(),
});

export type InjectedReorg = z.output<typeof injectedReorgSchema>;

const reorgReportSchema = z.object({
  reorgs: z.array(injectedReorgSchema),
  failures: z.array(z.object({ chain: z.enum(['l1', 'l2']), atMs: z.number().int(), message: z.string() })),
});

/** `<state>/reorgs.json`: every reorg the run injected and every attempt that failed. */
export type ReorgReport = z.output<typeof reorgReportSchema>;

/** The report's path in a state folder. */
export function reorgReportPath(stateDirectory: string): string {
  return join(stateDirectory, 'reorgs.json');
}

/** Reads `<state>/reorgs.json`; an empty report when the run injected nothing. */
export function readReorgReport(stateDirectory: string): ReorgReport {
  const path = reorgReportPath(stateDirectory);
  const raw = readJsonSnapshot(path);
  if (raw === undefined) return { reorgs: [], failures: [] };
  const parsed = reorgReportSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a reorg report: ${parsed.error.message}`);
  return parsed.data;
}

export interface ReorgInjectorOptions {
  readonly targets: readonly ReorgTarget[];
  /** Where `reorgs.json` goes; undefined keeps the report in memory. */
  readonly stateDirectory?: string;
  /** One progress line per reorg (chain, depth, height, old and new hash) or failed attempt. */
  readonly log: (line: string) => void;
}

export interface ReorgInjector {
  /** What was injected so far. */
  report(): ReorgReport;
  /** Stops the timers and waits for a reorg in flight. Idempotent. */
  stop(): Promise<void>;
}

/**
 * `npm start --fault-l1-reorg-every / --fault-l2-reorg-every`: reorganises each target chain on its own
 * timer (the first reorg one period after the start) with `reorgChain`, prints each one and appends
 * it to `<state>/reorgs.json` for tests and the benchmark, until a target's `count` is reached. A failed attempt (e.g. the chain is still
 * shorter than the depth) is printed and recorded; the timer carries on.
 */
export function startReorgInjector(options: ReorgInjectorOptions): ReorgInjector {
  let report: ReorgReport = { reorgs: [], failures: [] };
  const save = (): void => {
    if (options.stateDirectory !== undefined)
      writeJsonSnapshot(reorgReportPath(options.stateDirectory), report, 2);
  };
  save();
  const inFlight = new Set<Promise<void>>();

  const inject = async (target: ReorgTarget): Promise<void> => {
    const name = target.chain.toUpperCase();
    try {
      const reorg: ChainReorg = await reorgChain(target.rpcUrl, target.depth);
      report = { ...report, reorgs: [...report.reorgs, recordOf(target.chain, reorg)] };
      options.log(
        `fault: ${name} reorg depth ${reorg.depth} at block ${reorg.height} (ancestor ${reorg.ancestor}): ` +
          `${reorg.oldHash} → ${reorg.newHash} (injected)`,
      );
    } catch (error) {
      const message = (error as Error).message;
      report = {
        ...report,
        failures: [...report.failures, { chain: target.chain, atMs: Date.now(), message }],
      };
      options.log(`fault: ${name} reorg not injected: ${message}`);
    }
    save();
  };

  const timers = options.targets.map((target) => {
    const timer: NodeJS.Timeout = setInterval(() => {
      const done = report.reorgs.filter((reorg) => reorg.chain === target.chain).length;
      if (target.count !== undefined && done >= target.count) {
        clearInterval(timer);
        return;
      }
      const run = inject(target).finally(() => inFlight.delete(run));
      inFlight.add(run);
    }, target.everySeconds * 1_000);
    return timer;
  });

  return {
    report: () => report,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}

function recordOf(chain: ReorgedChain, reorg: ChainReorg): InjectedReorg {
  return {
    chain,
    depth: reorg.depth,
    height: reorg.height.toString(),
    ancestor: reorg.ancestor.toString(),
    oldHash: reorg.oldHash,
    newHash: reorg.newHash,
    atMs: Date.now(),
  };
}
