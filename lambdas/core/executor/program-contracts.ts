import type { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { rangeKey } from '../messages/ids.js';
import { describeIssues } from '../schema-issues.js';
import {
  type AggregateRequest,
  type AggregateResult,
  aggregateOutputSchema,
  aggregateRequestSchema,
} from './aggregate-contract.js';
import { type RangeRequest, type RangeResult, rangeOutputSchema, rangeRequestSchema } from './range-contract.js';

/**
 * The executor contract: `<binary> --input-path in.json --output-path out.json`, exit 0 on success.
 * The output is one result document or an array of them (fan-out: one message per element).
 */
export const EXECUTOR_INPUT_FLAG = '--input-path';
export const EXECUTOR_OUTPUT_FLAG = '--output-path';

export type ProgramName = 'range' | 'aggregate';
export type ExecutorRequest = RangeRequest | AggregateRequest;
export type ExecutorResult = RangeResult | AggregateResult;

const requestSchemas: Record<ProgramName, z.ZodType> = {
  range: rangeRequestSchema,
  aggregate: aggregateRequestSchema,
};
const outputSchemas: Record<ProgramName, z.ZodType> = {
  range: rangeOutputSchema,
  aggregate: aggregateOutputSchema,
};

/** Validates an executor input document; the error names the schema path. */
export function parseExecutorRequest(program: ProgramName, raw: unknown): ExecutorRequest {
  const parsed = requestSchemas[program].safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`${program} executor input`, describeIssues(parsed.error, raw));
  return parsed.data as ExecutorRequest;
}

/** Validates an executor output document and returns its results as a list (fan-out). */
export function parseExecutorOutput(program: ProgramName, raw: unknown): ExecutorResult[] {
  const parsed = outputSchemas[program].safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`${program} executor output`, describeIssues(parsed.error, raw));
  const value = parsed.data as ExecutorResult | ExecutorResult[];
  return Array.isArray(value) ? value : [value];
}

/** The message key a result is published under on the stage's output topic. */
export function resultKey(result: ExecutorResult): string {
  return rangeKey(BigInt(result.start), BigInt(result.end));
}
