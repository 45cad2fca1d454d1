/**
 * The SSM SecureString parameters a deployment reads: the RPC URLs of the functions and jobs, and
 * the prover-only endpoints. Operators create them before `cdk deploy` (docs/deploying.md lists the
 * `aws ssm put-parameter` commands); the app imports them by name and never writes their values.
 */

/** A config field naming an SSM parameter, and the name it holds. */
export interface SsmParameterField {
  /** The field's path in the config file, e.g. `chains.l1.rpcUrlsParameter`. */
  readonly field: string;
  readonly name: string;
}

/** Longest parameter name SSM accepts. */
const MAX_NAME_LENGTH = 1011;
/** Deepest hierarchy SSM accepts (levels below the root). */
const MAX_LEVELS = 15;
/** Prefixes SSM reserves for its own and AWS parameters (case-insensitive). */
const RESERVED_PREFIXES = ['/aws', '/ssm'];

/**
 * Why `name` is not a parameter name the app can import (`/`-rooted path of letters, digits and
 * `_.-`, within SSM's length and depth limits, outside the reserved `/aws` and `/ssm` trees), or
 * undefined when it is one.
 * @example ssmParameterNameProblem('/rollup-prover/l1-rpc-urls') // undefined
 */
export function ssmParameterNameProblem(name: string): string | undefined {
  if (!/^\/[\w.-]+(\/[\w.-]+)*$/.test(name)) {
    return 'expected a path such as "/rollup-prover/l1-rpc-urls" (starting with /, letters, digits, _ . - between slashes)';
  }
  if (name.length > MAX_NAME_LENGTH) return `expected at most ${MAX_NAME_LENGTH} characters (SSM limit)`;
  if (name.split('/').length - 1 > MAX_LEVELS) return `expected at most ${MAX_LEVELS} levels (SSM limit)`;
  const reserved = RESERVED_PREFIXES.find((prefix) => name.toLowerCase().startsWith(prefix));
  if (reserved !== undefined) return `expected a name outside ${reserved}, which SSM reserves`;
  return undefined;
}

/**
 * Problems with the parameter names of a deployment, one line each naming the field: a name SSM
 * would refuse or the app could not import, or one parameter named by two fields (each endpoint
 * holds different URLs, so a shared parameter is a copy-paste slip).
 */
export function ssmParameterProblems(fields: readonly SsmParameterField[]): string[] {
  const problems: string[] = [];
  const firstField = new Map<string, string>();
  for (const { field, name } of fields) {
    const problem = ssmParameterNameProblem(name);
    if (problem !== undefined) problems.push(`${field}: got "${name}", ${problem}`);
    const earlier = firstField.get(name);
    if (earlier !== undefined) {
      problems.push(`${field}: got "${name}", expected a parameter of its own (${earlier} names it too)`);
    } else {
      firstField.set(name, field);
    }
  }
  return problems;
}
