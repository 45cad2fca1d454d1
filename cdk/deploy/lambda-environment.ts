/** Lambda refuses a function whose environment variables total more than 4 KB. */
const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * One environment variable. Values holding CDK tokens (a queue URL, a table name) are only known at
 * deploy time, so each carries the most bytes its deployed value can take.
 */
export interface EnvironmentValue {
  readonly value: string;
  readonly maxBytes: number;
}

/** A plain string: its size is known now. */
export function literalValue(value: string): EnvironmentValue {
  return { value, maxBytes: Buffer.byteLength(value, 'utf8') };
}

/**
 * Throws when the environment can exceed Lambda's 4 KB limit once deployed. Counted as Lambda
 * counts it (keys and values), plus a JSON framing margin, so a passing check has real headroom.
 * @throws Error naming the function, the estimate and the largest variables.
 */
export function assertEnvironmentFits(
  functionPath: string,
  environment: Readonly<Record<string, EnvironmentValue>>,
): void {
  const sizes = Object.entries(environment).map(([name, { maxBytes }]) => ({
    name,
    bytes: Buffer.byteLength(name, 'utf8') + maxBytes + JSON_FRAMING_BYTES,
  }));
  const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return;
  const largest = [...sizes]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4)
    .map(({ name, bytes }) => `${name} ${bytes} B`)
    .join(', ');
  throw new Error(
    `${functionPath}: environment variables may take ${total} bytes once deployed, expected at most ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} (Lambda's limit). ` +
      `Largest: ${largest}. Shorten the runtime part of the pipeline config (PIPELINE_CONFIG_JSON, the parsed runtime layer with its defaults: fewer or shorter stage and topic names, fewer RPC URLs listed inline — an SSM parameter holds them instead) or the pipeline name.`,
  );
}

/** `"name":"value",` around each variable when Lambda serialises the map. */
const JSON_FRAMING_BYTES = 6;

/**
 * A JSON object variable whose values may hold tokens (token strings survive JSON.stringify
 * unchanged and resolve in place); `worstCase` is the same object with each token replaced by the
 * longest value it can resolve to.
 */
export function jsonValue(
  value: Readonly<Record<string, unknown>>,
  worstCase: Readonly<Record<string, unknown>>,
): EnvironmentValue {
  return { value: JSON.stringify(value), maxBytes: Buffer.byteLength(JSON.stringify(worstCase), 'utf8') };
}
