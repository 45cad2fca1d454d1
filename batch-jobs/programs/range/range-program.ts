import { defineProgram } from '../../zkvm/program.js';
import { rangeGuest } from './range-guest.js';
import type { RangeGuestInput } from './range-guest-input.js';

/** The range program (OP Succinct range, `[start, end)`); bump the version when the guest changes. */
export const rangeProgram = defineProgram<RangeGuestInput>('op-succinct-range', '2', rangeGuest);
