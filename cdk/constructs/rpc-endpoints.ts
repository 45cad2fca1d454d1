import type * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface RpcEndpointsProps {
  /** SSM SecureString parameter holding the L1 RPC URLs (comma-separated), e.g. `/rollup-prover/l1-rpc-urls`. */
  readonly l1ParameterName: string;
  /** SSM SecureString parameter holding the L2 RPC URLs (comma-separated). */
  readonly l2ParameterName: string;
}

export type Chain = 'l1' | 'l2';

/**
 * The RPC URL parameters, imported by name: operators create them (`aws ssm put-parameter --type
 * SecureString`), so the URLs, which often carry proxyd credentials, never enter the template.
 * Encrypted with the account's default `aws/ssm` key, whose key policy already lets principals of
 * the account decrypt through SSM: `ssm:GetParameter` on the parameter is the whole grant.
 */
export class RpcEndpoints extends Construct {
  readonly parameters: Readonly<Record<Chain, ssm.IStringParameter>>;

  constructor(scope: Construct, id: string, props: RpcEndpointsProps) {
    super(scope, id);
    const name = /^\/[\w./-]+$/;
    for (const [field, value] of [
      ['l1ParameterName', props.l1ParameterName],
      ['l2ParameterName', props.l2ParameterName],
    ] as const) {
      if (!name.test(value)) {
        throw new Error(
          `${this.node.path}: ${field} got "${value}", expected an SSM parameter name such as "/rollup-prover/l1-rpc-urls"`,
        );
      }
    }
    this.parameters = {
      l1: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L1RpcUrls', {
        parameterName: props.l1ParameterName,
      }),
      l2: ssm.StringParameter.fromSecureStringParameterAttributes(this, 'L2RpcUrls', {
        parameterName: props.l2ParameterName,
      }),
    };
  }

  /** Lets `grantee` read (and SSM decrypt) the URL parameters of `chains`, and nothing else. */
  grantRead(grantee: iam.IGrantable, chains: readonly Chain[]): void {
    for (const chain of chains) this.parameters[chain].grantRead(grantee);
  }
}
