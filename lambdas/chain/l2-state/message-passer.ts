import type { Address } from 'viem';

/** The OP-stack `L2ToL1MessagePasser` predeploy, whose storage root is part of every output root. */
export const messagePasserAddress: Address = '0x4200000000000000000000000000000000000016';
