import type * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ssmParameterNameProblem } from '../deploy/ssm-parameter-names.js';

export interface RpcEndpointsProps {
  /** SSM SecureString parameter holding the L1 RPC URLs (comma-separated), e.g. `/rollup-prover/l1-rpc-urls`. */
  readonly l1ParameterName: string;
  /** SSM SecureString parameter holding the L2 RPC URLs (comma-separated). */
  readonly l2ParameterName: string;
  /**
   * SSM SecureString parameters of the endpoints only a real prover reads (its jobs'
   * `L1_BEACON_RPC` / `L2_NODE_RPC`), e.g. `/rollup-prover/l1-beacon-rpc`.
   * @default - none: the jobs get no such secrets (mock provers)
   */
  readonly proverParameterNames?: Readonly<Record<ProverEndpoint, string>>;
}

export type Chain = 'l1' | 'l2';

/** The prover-only endpoints: the L1 beacon API (blobs) and the L2 rollup-node RPC (`optimism_*`). */
export type ProverEndpoint = 'l1Beacon' | 'l2Node';

/**
 * The RPC URL parameters, imported by name: operators create them (`aws ssm put-parameter --type
 * SecureString`), so the URLs, which often carry proxyd credentials, never enter the template.
 * Encrypted with the account's default `aws/ssm` key, whose key policy already lets principals of
 * the account decrypt through SSM: `ssm:GetParameter` on the parameter is the whole grant.
 */
export class RpcEndpoints extends Construct {
  readonly parameters: Readonly<Record<Chain, ssm.IStringParameter>>;
  /** The prover-only endpoint parameters, handed to the Batch jobs as secrets; undefined when none are configured. */
  readonly proverParameters: Readonly<Record<ProverEndpoint, ssm.IStringParameter>> | undefined;

  constructor(scope: Construct, id: string, props: RpcEndpointsProps) {
    super(scope, id);
    const names: Array<[string, string]> = [
      ['l1ParameterName', props.l1ParameterName],
      ['l2ParameterName', props.l2ParameterName],
      ...Object.entries(props.proverParameterNames ?? {}).map(([endpoint, name]): [string, string] => [
        `proverParameterNames.${endpoint}`,
        name,
      ]),
    ];
    for (const [field, value] of names) {
      const problem = ssmParameterNameProblem(value);
      if (problem !== undefined) throw new Error(`${this.node.path}: ${field} got "${value}", ${problem}`);
    }
    this.parameters = {
      l1: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L1RpcUrls', {
        parameterName: props.l1ParameterName,
      }),
      l2: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L2RpcUrls', {
        parameterName: props.l2ParameterName,
      }),
    };
    const prover = props.proverParameterNames;
    this.proverParameters =
      prover === undefined
        ? undefined
        : {
            l1Beacon: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L1BeaconRpc', {
              parameterName: prover.l1Beacon,
            }),
            l2Node: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L2NodeRpc', {
              parameterName: prover.l2Node,
            }),
          };
  }

  /** Lets `grantee` read (and SSM decrypt) the URL parameters of `chains`, and nothing else. */
  grantRead(grantee: iam.IGrantable, chains: readonly Chain[]): void {
    for (const chain of chains) this.parameters[chain].grantRead(grantee);
  }
}
