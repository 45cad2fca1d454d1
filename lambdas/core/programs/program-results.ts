import { type ExecutorResult, parseExecutorOutput, resultKey } from '../executor/program-contracts.js';
import type { ProgramName } from '../executor/program-name.js';
import type { ProgramResult } from '../orchestrator/setup/program-plugin.js';

/** An executor output of `program` as results keyed `start-end` (the convention both programs share). */
export function spanResults(program: ProgramName, raw: unknown): ProgramResult[] {
  return parseExecutorOutput(program, raw).map((result: ExecutorResult) => ({
    key: resultKey(result),
    start: BigInt(result.start),
    end: BigInt(result.end),
    document: result,
  }));
}
