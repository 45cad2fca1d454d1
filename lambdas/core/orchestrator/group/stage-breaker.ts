import * as z from 'zod';
import type { ProvingStageConfig } from '../../config/schema.js';
import { breakerId } from '../../messages/ids.js';
import type { StoredItem } from '../../ports/state-store.js';
import { METRIC } from '../../ports/telemetry.js';
import { parseItemData } from '../../schema/parse-item-data.js';
import type { OrchestratorDeps } from '../setup/orchestrator-deps.js';

/** Infrastructure failures in a row, across a stage's groups, that open its breaker. */
export const BREAKER_THRESHOLD = 5;

/** How long an open breaker holds submissions back before it lets one probe job through. */
export const BREAKER_COOL_DOWN_SECONDS = 600;

const breakerDataSchema = z.object({
  infraFailuresInARow: z.number().int().min(0),
  /** Why it opened: the last failure's error. */
  reason: z.string().optional(),
  openedAt: z.string().optional(),
  /** When the probe job of a half-open breaker was let through. */
  probeAt: z.string().optional(),
});

type BreakerData = z.output<typeof breakerDataSchema>;

/**
 * A stage's circuit breaker (item `breaker/<stage>`): `BREAKER_THRESHOLD` infrastructure failures in
 * a row open it, which holds new submissions of the stage back (groups wait where they are, nothing
 * is lost), stores why, sets `METRIC.breakerOpen` to 1 and logs at error level. After
 * `BREAKER_COOL_DOWN_SECONDS` one probe job is let through; its success (or any prover-class
 * outcome: the infrastructure worked) closes the breaker, another infrastructure failure opens it
 * again. Every write is version-conditional; a lost race is read again.
 */
export class StageBreaker {
  constructor(
    private readonly deps: OrchestratorDeps,
    private readonly stage: ProvingStageConfig,
  ) {}

  /** Whether a job of the stage may be submitted now (and, half-open, lets this one through as the probe). */
  async allowsSubmit(): Promise<boolean> {
    for (;;) {
      const { item, data } = await this.read();
      if (data.openedAt === undefined) return true;
      const now = this.deps.clock.now();
      const since = Date.parse(data.probeAt ?? data.openedAt);
      if (now.getTime() - since < BREAKER_COOL_DOWN_SECONDS * 1000) {
        this.deps.logger.warn('stage paused: its circuit breaker is open', {
          breakerId: breakerId(this.stage.name),
          stage: this.stage.name,
          openedAt: data.openedAt,
          reason: data.reason,
        });
        return false;
      }
      if (await this.write(item, 'open', { ...data, probeAt: now.toISOString() })) return true;
    }
  }

  /** Counts an infrastructure failure; the `BREAKER_THRESHOLD`-th in a row (or a failed probe) opens the breaker. */
  async recordInfrastructureFailure(error: string): Promise<void> {
    for (;;) {
      const { item, data } = await this.read();
      const inARow = data.infraFailuresInARow + 1;
      const opens = data.openedAt !== undefined || inARow >= BREAKER_THRESHOLD;
      const next: BreakerData = opens
        ? { infraFailuresInARow: inARow, reason: error, openedAt: this.deps.clock.now().toISOString() }
        : { infraFailuresInARow: inARow };
      if (!(await this.write(item, opens ? 'open' : 'closed', next))) continue;
      if (opens) {
        this.deps.metrics.gauge(METRIC.breakerOpen, 1, { stage: this.stage.name });
        this.deps.logger.error('circuit breaker open: new jobs of the stage wait until a probe succeeds', {
          breakerId: breakerId(this.stage.name),
          stage: this.stage.name,
          infraFailuresInARow: inARow,
          reason: error,
        });
      }
      return;
    }
  }

  /** The infrastructure worked (a job succeeded, or failed on its own merits): closes the breaker. */
  async recordHealthy(): Promise<void> {
    for (;;) {
      const { item, data } = await this.read();
      if (data.infraFailuresInARow === 0 && data.openedAt === undefined) return;
      if (!(await this.write(item, 'closed', { infraFailuresInARow: 0 }))) continue;
      if (data.openedAt !== undefined) {
        this.deps.metrics.gauge(METRIC.breakerOpen, 0, { stage: this.stage.name });
        this.deps.logger.info('circuit breaker closed', { stage: this.stage.name });
      }
      return;
    }
  }

  private async read(): Promise<{ item: StoredItem | undefined; data: BreakerData }> {
    const item = await this.deps.store.get(breakerId(this.stage.name));
    if (item === undefined) return { item, data: { infraFailuresInARow: 0 } };
    return { item, data: parseItemData(breakerDataSchema, item.data, 'breaker item', item.id) };
  }

  private async write(item: StoredItem | undefined, status: string, data: BreakerData): Promise<boolean> {
    const next = { id: breakerId(this.stage.name), kind: 'breaker', status, sortKey: this.stage.name, data };
    return item === undefined ? this.deps.store.create(next) : this.deps.store.replace(next, item.version);
  }
}
