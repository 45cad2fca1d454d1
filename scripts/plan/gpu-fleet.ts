import type { Prng } from '../chaos/prng.js';
import type { FleetModel } from './world-model.js';

/** Spot or on-demand capacity. */
export type Market = 'spot' | 'on-demand';

/** One GPU instance of the modelled compute environment (one job at a time). */
export interface GpuInstance {
  readonly id: number;
  readonly market: Market;
  readonly launchedAt: number;
  /** Epoch ms when it can run a job (launch + start + image pull). */
  readonly readyAt: number;
  /** Epoch ms of the Spot reclaim (Infinity on-demand). */
  readonly reclaimAt: number;
  /** Epoch ms since when it is idle; undefined while booting or running. */
  idleSince: number | undefined;
  /** Epoch ms when it stopped being billed; undefined while alive. */
  terminatedAt: number | undefined;
  /** Epoch ms since when its current job runs; undefined when it runs none. */
  busySince: number | undefined;
}

/** Billed and busy instance-seconds, by market, inside a window. */
export interface FleetUsage {
  readonly billedSeconds: Readonly<Record<Market, number>>;
  readonly busySeconds: number;
  /** Share of the GPU cap running jobs while jobs waited with the pool at its cap (1 when that never happened). */
  readonly backlogBusyShare: number;
  readonly launches: number;
  readonly reclaims: number;
}

/** How many instances the pool may hold: in all, and of them on Spot (Batch's first compute environment). */
export interface FleetCaps {
  readonly total: number;
  /** At most `total`; Spot jobs beyond it start on-demand instances, as Batch fills its next environment. */
  readonly spot: number;
}

/**
 * The instances of a capped GPU pool: launches (ready after start + image pull), idle scale-in
 * after `idleShutdownSeconds`, Spot reclaims at exponentially distributed times (seeded), and the
 * accounting of billed and busy seconds. Idle instances are retired lazily, when next looked at.
 */
export class GpuFleet {
  private readonly instances: GpuInstance[] = [];
  private readonly busy: { start: number; end: number }[] = [];
  private backlog = { since: 0, running: 0, waiting: 0, busyArea: 0, capArea: 0 };
  reclaims = 0;

  constructor(
    private readonly model: FleetModel,
    private readonly caps: FleetCaps,
    private readonly rng: Prng,
  ) {}

  private get cap(): number {
    return this.caps.total;
  }

  /** Instances alive at `now` (idle ones past their scale-in or reclaim retired first). */
  alive(now: number): GpuInstance[] {
    for (const instance of this.instances) {
      if (instance.terminatedAt !== undefined || instance.idleSince === undefined) continue;
      const scaleIn = instance.idleSince + this.model.idleShutdownSeconds * 1000;
      const end = Math.min(scaleIn, instance.reclaimAt);
      if (end <= now) {
        instance.terminatedAt = end;
        if (end === instance.reclaimAt) this.reclaims += 1;
      }
    }
    return this.instances.filter((i) => i.terminatedAt === undefined);
  }

  /**
   * For a job of `market`: an idle instance of it, or a new one if its cap allows; a Spot job whose
   * Spot share is full goes on to on-demand the same way (Batch's next compute environment). When
   * the total cap is reached, an idle instance of the other market is retired for the new one.
   */
  acquire(now: number, market: Market): GpuInstance | undefined {
    const alive = this.alive(now);
    const markets: Market[] = market === 'spot' ? ['spot', 'on-demand'] : ['on-demand'];
    for (const m of markets) {
      const idle = alive.find((i) => i.market === m && i.idleSince !== undefined);
      if (idle !== undefined) {
        idle.idleSince = undefined;
        return idle;
      }
      const ofMarket = alive.filter((i) => i.market === m).length;
      if (ofMarket >= this.marketCap(m)) continue;
      if (alive.length >= this.cap) {
        const other = alive.find((i) => i.idleSince !== undefined);
        if (other === undefined) return undefined;
        other.terminatedAt = now;
      }
      return this.launch(now, m);
    }
    return undefined;
  }

  /** The most instances of `market`: the Spot share, or for on-demand the rest of the cap (all of it when Spot may hold all). */
  private marketCap(market: Market): number {
    if (market === 'spot') return this.caps.spot;
    return this.caps.spot >= this.caps.total ? this.caps.total : this.caps.total - this.caps.spot;
  }

  /** The instance is free at `now` (idle again), or gone when reclaimed. */
  release(instance: GpuInstance, now: number, reclaimed: boolean): void {
    if (reclaimed) {
      instance.terminatedAt = now;
      this.reclaims += 1;
    } else instance.idleSince = now;
  }

  /** A job starts on the instance at `now`. */
  startJob(instance: GpuInstance, now: number): void {
    instance.busySince = now;
  }

  /** The instance's job ends at `now` (finished or lost): idle again, or gone when reclaimed. */
  endJob(instance: GpuInstance, now: number, reclaimed: boolean): void {
    if (instance.busySince !== undefined && now > instance.busySince)
      this.busy.push({ start: instance.busySince, end: now });
    instance.busySince = undefined;
    this.release(instance, now, reclaimed);
  }

  /**
   * Tells the backlog tracker how many jobs run and how many wait for a GPU from `now` on. A backlog
   * is jobs waiting while the pool is at its cap (booting instances count: they are billed, not
   * busy); a job waiting for a cold instance below the cap is start-up latency (the `queue` step and
   * `gpuUtilization` show it), not a backlog the cap could have served.
   */
  observe(now: number, running: number, waiting: number): void {
    const b = this.backlog;
    if (b.waiting > 0) {
      b.busyArea += (now - b.since) * b.running;
      b.capArea += (now - b.since) * this.cap;
    }
    const atCap = waiting > 0 && this.alive(now).length >= this.cap;
    this.backlog = { ...b, since: now, running, waiting: atCap ? waiting : 0 };
  }

  /** Usage inside [from, to] (epoch ms); instances still alive count as billed, and jobs still running as busy, until `to`. */
  usage(from: number, to: number): FleetUsage {
    const billed: Record<Market, number> = { spot: 0, 'on-demand': 0 };
    for (const i of this.instances) {
      const end = Math.max(i.terminatedAt ?? to, i.launchedAt + this.model.billingMinimumSeconds * 1000);
      billed[i.market] += overlapSeconds(i.launchedAt, end, from, to);
    }
    const running = this.instances.flatMap((i) =>
      i.busySince === undefined ? [] : [{ start: i.busySince, end: to }],
    );
    const busySeconds = [...this.busy, ...running].reduce(
      (sum, b) => sum + overlapSeconds(b.start, b.end, from, to),
      0,
    );
    const { busyArea, capArea } = this.backlog;
    return {
      billedSeconds: billed,
      busySeconds,
      backlogBusyShare: capArea === 0 ? 1 : busyArea / capArea,
      launches: this.instances.length,
      reclaims: this.reclaims,
    };
  }

  private launch(now: number, market: Market): GpuInstance {
    const { startSeconds, imagePullSeconds, spotInterruptionsPerHour } = this.model;
    const reclaimAt =
      market === 'spot' && spotInterruptionsPerHour > 0
        ? now + (-Math.log(1 - this.rng.next()) / spotInterruptionsPerHour) * 3_600_000
        : Number.POSITIVE_INFINITY;
    const instance: GpuInstance = {
      id: this.instances.length + 1,
      market,
      launchedAt: now,
      readyAt: now + (startSeconds + imagePullSeconds) * 1000,
      reclaimAt,
      idleSince: undefined,
      terminatedAt: undefined,
      busySince: undefined,
    };
    this.instances.push(instance);
    return instance;
  }
}

function overlapSeconds(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from)) / 1000;
}
