import * as z from 'zod';
import { JOB_ENV } from '../lambdas/core/config/environment-names.js';
import { ConfigError } from '../lambdas/core/errors.js';
import { type ProgramName, programNameSchema } from '../lambdas/core/executor/program-name.js';

/** What one Batch job attempt runs, read from the container environment the Batch job runner sets. */
export interface JobDescription {
  readonly stage: string;
  readonly groupId: string;
  readonly attempt: number;
  readonly program: ProgramName;
  readonly inputKey: string;
  readonly outputKey: string;
  readonly bucket: string;
  /** Prover argv prefix from `PROVER_COMMAND`; undefined → the repo's mock prover for the program. */
  readonly proverCommand: readonly string[] | undefined;
  readonly timeoutSeconds: number;
}

/** Default prover timeout when `JOB_TIMEOUT_SECONDS` is absent (Batch's own attempt timeout still applies). */
const DEFAULT_JOB_TIMEOUT_SECONDS = 3600;

const nonEmpty = z.string().min(1, 'a non-empty string');
const proverCommandSchema = z.array(nonEmpty).min(1, 'at least the binary');

const jobEnvironmentSchema = z.object({
  [JOB_ENV.stage]: nonEmpty,
  [JOB_ENV.groupId]: nonEmpty,
  [JOB_ENV.attempt]: z.string().regex(/^[1-9]\d*$/, 'a 1-based attempt number such as "1"'),
  [JOB_ENV.program]: programNameSchema,
  [JOB_ENV.inputKey]: nonEmpty,
  [JOB_ENV.outputKey]: nonEmpty,
  [JOB_ENV.bucket]: nonEmpty,
  [JOB_ENV.proverCommand]: z.string().optional(),
  [JOB_ENV.timeoutSeconds]: z
    .string()
    .regex(/^[1-9]\d*$/, 'a whole number of seconds')
    .optional(),
});

/**
 * Reads the job description from the environment.
 * @throws ConfigError naming each missing or invalid variable.
 */
export function readJobDescription(env: NodeJS.ProcessEnv): JobDescription {
  const parsed = jobEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'job environment',
      parsed.error.issues.map(
        (issue) =>
          `${String(issue.path[0])}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])]) ?? 'nothing'})`,
      ),
    );
  }
  const vars = parsed.data;
  return {
    stage: vars[JOB_ENV.stage],
    groupId: vars[JOB_ENV.groupId],
    attempt: Number(vars[JOB_ENV.attempt]),
    program: vars[JOB_ENV.program],
    inputKey: vars[JOB_ENV.inputKey],
    outputKey: vars[JOB_ENV.outputKey],
    bucket: vars[JOB_ENV.bucket],
    proverCommand: parseProverCommand(vars[JOB_ENV.proverCommand]),
    timeoutSeconds: Number(vars[JOB_ENV.timeoutSeconds] ?? DEFAULT_JOB_TIMEOUT_SECONDS),
  };
}

function parseProverCommand(raw: string | undefined): readonly string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError('job environment', [
      `${JOB_ENV.proverCommand}: expected a JSON array of strings (got ${JSON.stringify(raw)})`,
    ]);
  }
  const parsed = proverCommandSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError('job environment', [
      `${JOB_ENV.proverCommand}: expected a JSON array of non-empty strings, the binary first (got ${JSON.stringify(raw)})`,
    ]);
  }
  return parsed.data;
}
