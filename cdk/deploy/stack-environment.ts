/** Account used when neither context nor the CLI's credentials name one (offline synth). */
export const OFFLINE_ACCOUNT = '123456789012';
/** Region used when neither context, the config nor the CLI's credentials name one (offline synth). */
export const OFFLINE_REGION = 'us-east-1';

/** Where each candidate of the stack's account and region comes from; an empty string counts as unset. */
export interface StackEnvironmentSources {
  /** `-c account=…` */
  readonly contextAccount?: string | undefined;
  /** `-c region=…` */
  readonly contextRegion?: string | undefined;
  /** The pipeline config's `aws.region`. */
  readonly configRegion?: string | undefined;
  /** The CLI's credentials: `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`. */
  readonly cliAccount?: string | undefined;
  readonly cliRegion?: string | undefined;
}

/**
 * The stack's account and region. An explicit `-c region` wins over the config's `aws.region`
 * (one config file can then be deployed to a second region without editing it), which wins over
 * the CLI's region; offline placeholders last, so `cdk synth` works without credentials.
 * @example stackEnvironment({ contextRegion: 'eu-west-1', configRegion: 'us-east-2' }).region // 'eu-west-1'
 */
export function stackEnvironment(sources: StackEnvironmentSources): { account: string; region: string } {
  const first = (...values: Array<string | undefined>): string | undefined =>
    values.find((value) => value !== undefined && value !== '');
  return {
    account: first(sources.contextAccount, sources.cliAccount) ?? OFFLINE_ACCOUNT,
    region: first(sources.contextRegion, sources.configRegion, sources.cliRegion) ?? OFFLINE_REGION,
  };
}
