import { describe, expect, it } from 'vitest';
import { ecrRepositoryArn, parseEcrImageUri } from '../../cdk/deploy/ecr-image-uri.js';

describe('parseEcrImageUri', () => {
  it('splits a private ECR URI into account, region, repository and tag', () => {
    // Act
    const image = parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/provers/sp1:v5.2');
    // Assess
    expect(image).toEqual({
      account: '123456789012',
      region: 'us-east-1',
      partition: 'aws',
      repositoryName: 'provers/sp1',
      tagOrDigest: 'v5.2',
    });
    expect(ecrRepositoryArn(image as NonNullable<typeof image>)).toBe(
      'arn:aws:ecr:us-east-1:123456789012:repository/provers/sp1',
    );
  });

  it('defaults the tag to latest, prefers a digest, and knows China regions', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseEcrImageUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/sp1')?.tagOrDigest).toBe('latest');
    expect(
      parseEcrImageUri(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/sp1:v1@${digest}`)?.tagOrDigest,
    ).toBe(digest);
    expect(parseEcrImageUri('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/sp1:v1')).toMatchObject({
      partition: 'aws-cn',
      region: 'cn-north-1',
    });
  });

  it.each([
    'public.ecr.aws/example/sp1:v1',
    'ghcr.io/example/sp1:v1',
    'example/sp1:v1',
    '12345.dkr.ecr.us-east-1.amazonaws.com/sp1:v1',
  ])('leaves %s to the public registry path', (uri) => {
    expect(parseEcrImageUri(uri)).toBeUndefined();
  });
});
