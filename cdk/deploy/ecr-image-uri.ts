/** A private Amazon ECR image reference, split into what `Repository.fromRepositoryAttributes` needs. */
export interface EcrImageReference {
  readonly account: string;
  readonly region: string;
  /** `aws` or `aws-cn` (from the registry host's `.amazonaws.com[.cn]`). */
  readonly partition: 'aws' | 'aws-cn';
  readonly repositoryName: string;
  /** The tag, or the digest (`sha256:…`); `latest` when the URI names neither. */
  readonly tagOrDigest: string;
}

const ECR_IMAGE_URI =
  /^(?<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?<region>[a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?<cn>\.cn)?\/(?<repository>[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

/**
 * Parses `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:<tag>][@sha256:<digest>]`.
 * Returns `undefined` for any other registry (Docker Hub, ECR Public, GHCR, …), which needs no
 * IAM pull permission. A digest wins over a tag.
 */
export function parseEcrImageUri(uri: string): EcrImageReference | undefined {
  const groups = ECR_IMAGE_URI.exec(uri)?.groups;
  const account = groups?.account;
  const region = groups?.region;
  const repositoryName = groups?.repository;
  if (account === undefined || region === undefined || repositoryName === undefined) return undefined;
  return {
    account,
    region,
    partition: groups?.cn === undefined ? 'aws' : 'aws-cn',
    repositoryName,
    tagOrDigest: groups?.digest ?? groups?.tag ?? 'latest',
  };
}

/** The ARN of the repository an ECR image reference names. */
export function ecrRepositoryArn(image: EcrImageReference): string {
  return `arn:${image.partition}:ecr:${image.region}:${image.account}:repository/${image.repositoryName}`;
}
