import * as z from 'zod';

/** Decimal integer string: block numbers travel as strings in JSON (they are bigint in code). */
export const decimalString = z.string().regex(/^(0|[1-9]\d*)$/, 'a decimal integer string such as "1200"');
export const addressString = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 20-byte 0x-prefixed hex address');
/** An http(s):// or ws(s):// RPC URL (proxyd URLs may carry credentials: never log one). */
export const rpcUrl = z.string().regex(/^(https?|wss?):\/\/\S+$/, 'an http(s):// or ws(s):// RPC URL');
export const bytes32Hex = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte 0x-prefixed hex string');
/** A whole number ≥ 1 (counts, sizes, seconds in config). */
export const positiveInt = z.number().int('an integer').min(1, 'an integer ≥ 1');
export const hexBytes = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, '0x-prefixed hex bytes');
