/**
 * The CloudWatch dashboard's name, `<pipeline>-<region>`. Dashboard names are global to the account
 * (the console lists every region's), so two stacks of one pipeline name in two regions would
 * otherwise overwrite each other's dashboard.
 * @example dashboardNameOf('rollup-prover', 'us-east-1') // 'rollup-prover-us-east-1'
 */
export function dashboardNameOf(pipelineName: string, region: string): string {
  return `${pipelineName}-${region}`;
}
