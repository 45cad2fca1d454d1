import { z } from 'zod';

export const bytes32Hex = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte 0x-prefixed hex string');
export const hexBytes = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, '0x-prefixed hex bytes');
