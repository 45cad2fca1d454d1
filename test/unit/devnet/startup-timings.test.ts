import { describe, expect, it } from 'vitest';
import { StartupTimings } from '../../../devnet/runtime/startup-timings.js';

describe('StartupTimings', () => {
  it('keeps the first time of a phase marked twice and lists the phases earliest first', () => {
    // Prepare
    const timings = new StartupTimings(1_000);

    // Act
    timings.mark('handlers loaded', 5_500);
    timings.mark('chains up', 2_000);
    timings.mark('handlers loaded', 9_000);

    // Assess
    expect(timings.entries()).toEqual([
      { phase: 'chains up', atMs: 2_000 },
      { phase: 'handlers loaded', atMs: 5_500 },
    ]);
    expect(timings.format()).toBe('chains up +1.0 s\nhandlers loaded +4.5 s');
  });
});
