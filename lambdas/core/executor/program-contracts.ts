import type { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { rangeKey } from '../messages/ids.js';
import { describeIssues } from '../schema/schema-issues.js';
import {
  type AggregateRequest,
  type AggregateResult,
  aggregateRequestSchema,
  aggregateResultSchema,
} from './aggregate-contract.js';
import type { ProgramName } from './program-name.js';
import {
  type RangeRequest,
  type RangeResult,
  rangeRequestSchema,
  rangeResultSchema,
} from './range-contract.js';

/**
 * The executor contract: `<binary> --input-path in.json --output-path out.json`, exit 0 on success.
 * The output is one result document or an array of them (fan-out: one message per element).
 */
export const EXECUTOR_INPUT_FLAG = '--input-path';
export const EXECUTOR_OUTPUT_FLAG = '--output-path';

export type ExecutorRequest = RangeRequest | AggregateRequest;
export type ExecutorResult = RangeResult | AggregateResult;

const requestSchemas: Record<ProgramName, z.ZodType> = {
  range: rangeRequestSchema,
  aggregate: aggregateRequestSchema,
};
const resultSchemas: Record<ProgramName, z.ZodType> = {
  range: rangeResultSchema,
  aggregate: aggregateResultSchema,
};

/** Validates an executor input document; the error names the schema path. */
export function parseExecutorRequest(program: ProgramName, raw: unknown): ExecutorRequest {
  const parsed = requestSchemas[program].safeParse(raw);
  if (!parsed.success)
    throw new InvalidInputError(`${program} executor input`, describeIssues(parsed.error, raw));
  return parsed.data as ExecutorRequest;
}

/** Validates an executor output document and returns its results as a list (fan-out). */
export function parseExecutorOutput(program: ProgramName, raw: unknown): ExecutorResult[] {
  // Parse each document against the single-result schema so errors name the failing field, not the union.
  const documents = Array.isArray(raw) ? raw : [raw];
  if (documents.length === 0) {
    throw new InvalidInputError(`${program} executor output`, [
      '(root): an empty array; expected at least one result',
    ]);
  }
  const issues: string[] = [];
  const results: ExecutorResult[] = [];
  documents.forEach((document, index) => {
    const parsed = resultSchemas[program].safeParse(document);
    if (parsed.success) results.push(parsed.data as ExecutorResult);
    else issues.push(...describeIssues(parsed.error, document, Array.isArray(raw) ? `[${index}]` : ''));
  });
  if (issues.length > 0) throw new InvalidInputError(`${program} executor output`, issues);
  return results;
}

/** The message key a result is published under on the stage's output topic. */
export function resultKey(result: ExecutorResult): string {
  return rangeKey(BigInt(result.start), BigInt(result.end));
}
