import type { Clock } from '../../core/ports/clock.js';

/** Clock that only moves when told, so time-based behaviour (max wait, timeouts) is tested without waiting. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }

  set(time: Date | string): void {
    this.current = new Date(time).getTime();
  }
}
