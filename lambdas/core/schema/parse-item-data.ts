import type { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { describeIssues } from './schema-issues.js';

/**
 * Parses a stored item's data (or one field of it) with `schema`, so that a corrupt or foreign
 * item fails with an error naming the item id and the schema path instead of a bare ZodError.
 * @throws InvalidInputError `invalid <what> <itemId>: data.<path>: … (got …)`.
 */
export function parseItemData<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  itemId: string,
  root = 'data',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new InvalidInputError(`${what} ${itemId}`, describeIssues(parsed.error, value, root));
  return parsed.data;
}
