import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ProposerSigningKeyProps {
  /**
   * Use this existing key (an `ECC_SECG_P256K1` / `SIGN_VERIFY` key already approved on L1).
   * @default - a new key is created
   */
  readonly importKeyArn?: string;
  /** Pipeline name, for the key alias `alias/<pipelineName>-proposer`. */
  readonly pipelineName: string;
  /** @default RemovalPolicy.RETAIN (the key is the proposer's L1 identity) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The proposer's L1 signing key: AWS KMS `ECC_SECG_P256K1` with `SIGN_VERIFY` usage, created here
 * or imported by ARN. Stateful (its address is approved on the oracle), so it is retained.
 */
export class ProposerSigningKey extends Construct {
  readonly key: kms.IKey;
  /** The key id (created) or ARN (imported): the functions' `PROPOSER_KMS_KEY_ID`. */
  readonly keyId: string;
  /** True when this app created the key (and so controls its key policy). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: ProposerSigningKeyProps) {
    super(scope, id);
    if (props.importKeyArn !== undefined) {
      if (!/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/.test(props.importKeyArn)) {
        throw new Error(
          `${this.node.path}: importKeyArn got "${props.importKeyArn}", expected a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/…`,
        );
      }
      this.key = kms.Key.fromKeyArn(this, 'Key', props.importKeyArn);
      this.keyId = props.importKeyArn;
      this.created = false;
      return;
    }
    const key = new kms.Key(this, 'Key', {
      keySpec: kms.KeySpec.ECC_SECG_P256K1,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      description: `${props.pipelineName}: L1 proposer signing key (secp256k1)`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // The alias goes with the key: destroying the stack must not leave a retained key nameless.
    key
      .addAlias(`alias/${props.pipelineName}-proposer`)
      .applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.key = key;
    this.keyId = key.keyId;
    this.created = true;
  }

  /**
   * Lets `signer` sign and read the public key, and makes it the only principal that may sign: the
   * key policy denies `kms:Sign` to everyone else, whatever their IAM policies say (created keys only;
   * an imported key's policy is its owner's to set).
   */
  grantSigning(signer: iam.IRole): void {
    this.key.grant(signer, 'kms:Sign', 'kms:GetPublicKey');
    if (!this.created) return;
    (this.key as kms.Key).addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheProposerSigns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': signer.roleArn } },
      }),
    );
  }
}
