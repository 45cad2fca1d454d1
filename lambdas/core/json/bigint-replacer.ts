/**
 * `JSON.stringify` replacer writing bigints as decimal strings (JSON has no bigint).
 * @param _key - the property name (unused).
 * @param value - the value being serialized.
 * @returns the decimal string of a bigint, any other value as it is.
 */
export function bigintToDecimal(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString(10) : value;
}
