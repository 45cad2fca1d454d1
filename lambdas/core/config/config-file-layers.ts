/**
 * How one pipeline config file (`config/*.json`) is shared by its three readers. The file may hold
 * all three layers; each reader takes its own part and validates only that, strictly:
 *
 * - the runtime layer (everything below but the sections named here): handlers, jobs and the devnet,
 *   `parsePipelineConfig`;
 * - the deployment layer (`aws`, `monitoring`, and `instanceTypes` / `imageUri` in each stage's
 *   executor): the CDK app only, `cdk/deploy/deployment-config.ts`;
 * - the local layer (`local`): the devnet only, `devnet/runtime/devnet-config.ts`.
 *
 * Each part keeps the file's shape (stage `i` stays at `stages[i]`), so every error names the
 * field's path in the file.
 */

/** Top-level sections of the deployment layer. */
export const DEPLOYMENT_SECTIONS = ['aws', 'monitoring'] as const;
/** Fields of `stages[].executor` that belong to the deployment layer. */
export const DEPLOYMENT_EXECUTOR_FIELDS = ['instanceTypes', 'imageUri'] as const;
/** Top-level sections of the local layer. */
export const LOCAL_SECTIONS = ['local'] as const;

/** One of the deployment layer's executor fields. */
export type DeploymentExecutorField = (typeof DEPLOYMENT_EXECUTOR_FIELDS)[number];

type Json = Record<string, unknown>;

/** The runtime part of a config file's JSON: without the deployment and local sections and fields. */
export function runtimePartOf(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const part = omit(raw, [...DEPLOYMENT_SECTIONS, ...LOCAL_SECTIONS]);
  if (!Array.isArray(raw.stages)) return part;
  part.stages = raw.stages.map((stage: unknown) =>
    isObject(stage) && isObject(stage.executor)
      ? { ...stage, executor: omit(stage.executor, DEPLOYMENT_EXECUTOR_FIELDS) }
      : stage,
  );
  return part;
}

/**
 * The deployment part of a config file's JSON: its sections, and per stage (at the same index) an
 * `executor` holding only the deployment fields.
 */
export function deploymentPartOf(raw: unknown): Json {
  if (!isObject(raw)) return {};
  const part = pick(raw, DEPLOYMENT_SECTIONS);
  if (Array.isArray(raw.stages)) {
    part.stages = raw.stages.map((stage: unknown) => ({
      executor:
        isObject(stage) && isObject(stage.executor) ? pick(stage.executor, DEPLOYMENT_EXECUTOR_FIELDS) : {},
    }));
  }
  return part;
}

/** The local part of a config file's JSON: its `local` section, if any. */
export function localPartOf(raw: unknown): Json {
  return isObject(raw) ? pick(raw, LOCAL_SECTIONS) : {};
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function omit(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function pick(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => keys.includes(key)));
}
