import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { STATE_TABLE } from '../../lambdas/core/config/state-table-design.js';
import type { ArtifactPrefix } from '../../lambdas/core/messages/blob-keys.js';
import { logicalIdOf } from '../nag/logical-id.js';
import type { PipelineFunction } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';

/** What a function does with the artifact bucket, by prefix. */
export interface ArtifactAccess {
  /** Prefixes whose objects the function reads (GetObject; HeadObject needs the same). */
  readonly reads: readonly ArtifactPrefix[];
  /** Prefixes the function writes objects under (PutObject; single-part uploads only). */
  readonly writes: readonly ArtifactPrefix[];
}

/**
 * The item calls `DynamoDbStateStore` makes: conditional Put and Delete, consistent Get and
 * BatchGet (`getMany`), Query on the byKindStatus index, and BatchWrite for `overwriteMany` (a
 * proposed span's expiry). No Scan, UpdateItem or stream actions.
 */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/**
 * A pipeline function's access to the state: the state store's item calls on the table and its one
 * index, and object read / write on the artifact bucket prefixes it uses (no delete: lifecycle
 * rules expire objects; no legal hold, retention, ACL or tagging actions).
 */
export function grantStateAccess(
  fn: PipelineFunction,
  state: PipelineState,
  artifacts: ArtifactAccess,
): void {
  const { table, artifactBucket: bucket } = state;
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...STATE_TABLE_ACTIONS],
      resources: [table.tableArn, `${table.tableArn}/index/${STATE_TABLE.kindStatusIndex}`],
    }),
  );
  const objects = (prefixes: readonly ArtifactPrefix[]) => prefixes.map((p) => bucket.arnForObjects(`${p}*`));
  if (artifacts.reads.length > 0) {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(artifacts.reads) }),
    );
    // S3 answers a missing key with 404 (which the blob store reads as "absent") only to a caller
    // that may list the bucket; otherwise with 403. Listing shows key names of this bucket only.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
  if (artifacts.writes.length > 0) {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(artifacts.writes) }),
    );
  }
  for (const prefix of new Set([...artifacts.reads, ...artifacts.writes])) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${prefix}*]`,
      reason: `Object keys under ${prefix} are per job attempt or per payload (jobs/<stage>/<range>/a<k>/…, payloads/<topic>/<key>.json), so access needs a key wildcard; it is limited to this prefix of this one bucket.`,
    });
  }
}
