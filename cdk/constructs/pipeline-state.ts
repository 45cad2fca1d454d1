import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { STATE_TABLE } from '../../lambdas/core/config/state-table-design.js';
import { ARTIFACT_PREFIX } from '../../lambdas/core/messages/blob-keys.js';

export interface PipelineStateProps {
  /** Days before job artifacts (`jobs/`) and large payloads (`payloads/`) expire. */
  readonly artifactRetentionDays: number;
  /**
   * What happens to the table and buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN (pipeline state and proofs outlive the stack)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Prefixes under the artifact bucket that only hold per-run data and expire (all of them). */
const EXPIRING_ARTIFACT_PREFIXES = Object.values(ARTIFACT_PREFIX);

/**
 * The stateful resources: the state table (messages, groups, cursors, proposals) and the artifact
 * bucket (job inputs and outputs, large payloads), plus the bucket's access-log bucket.
 * Kept apart from the stateless parts so their ids and removal policy never change by accident.
 */
export class PipelineState extends Construct {
  readonly table: dynamodb.TableV2;
  readonly artifactBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: PipelineStateProps) {
    super(scope, id);
    if (!Number.isInteger(props.artifactRetentionDays) || props.artifactRetentionDays < 1) {
      throw new Error(
        `${this.node.path}: artifactRetentionDays got ${props.artifactRetentionDays}, expected a whole number of days ≥ 1`,
      );
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: STATE_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: STATE_TABLE.kindStatusIndex,
          partitionKey: { name: STATE_TABLE.kindStatusKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: STATE_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.ALL,
        },
      ],
      // Terminal items nothing reads again carry an expiry (`storage.stateRetentionDays`).
      timeToLiveAttribute: STATE_TABLE.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy,
    });

    // `as s3.IBucket`: aws-cdk-lib's declarations predate exactOptionalPropertyTypes (Bucket.isWebsite).
    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy,
    }) as s3.IBucket;
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the artifact bucket; logging it to itself would loop and to another bucket only moves the question.',
    });

    this.artifactBucket = new s3.Bucket(this, 'ArtifactBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifact-bucket/',
      lifecycleRules: [
        ...EXPIRING_ARTIFACT_PREFIXES.map((prefix) => ({
          id: `expire-${prefix.replace('/', '')}`,
          prefix,
          expiration: Duration.days(props.artifactRetentionDays),
        })),
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    }) as s3.IBucket;
  }
}
