import { defineProgram } from '../../zkvm/program.js';
import { aggregateGuest } from './aggregate-guest.js';
import type { AggregateGuestInput } from './aggregate-guest-input.js';

/** The aggregation program; bump the version when the guest changes (its vkey changes with it). */
export const aggregateProgram = defineProgram<AggregateGuestInput>(
  'op-succinct-aggregation',
  '1',
  aggregateGuest,
);
