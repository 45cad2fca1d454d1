import { Validations } from 'aws-cdk-lib';
import { logicalIdOf } from '../nag/logical-id.js';
import type { PipelineFunction } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';

/**
 * The action groups `grantRead` + `grantPut` give on a bucket (cdk-nag reports each wildcard apart).
 * No delete: no function deletes objects (the bucket's lifecycle rules expire them).
 */
const BUCKET_READ_PUT_ACTION_GROUPS = ['s3:Abort*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'];

/**
 * Read/write on the state table (and its index; the core deletes items, e.g. reopened aggregate
 * groups and leases) and read + put on the artifact bucket, for a pipeline function.
 */
export function grantStateAccess(fn: PipelineFunction, state: PipelineState): void {
  state.table.grantReadWriteData(fn);
  state.artifactBucket.grantRead(fn);
  state.artifactBucket.grantPut(fn);
  const acknowledge = (id: string, reason: string) =>
    Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  acknowledge(
    `Resource::<${logicalIdOf(state.table)}.Arn>/index/*`,
    "The state store queries the table's byKindStatus index (pending messages and groups in order); grantReadWriteData names indexes with /index/* and the table has that one index only.",
  );
  acknowledge(
    `Resource::<${logicalIdOf(state.artifactBucket)}.Arn>/*`,
    'Object keys are per block, job attempt and payload (blocks/<n>.json, jobs/<stage>/<range>/a<k>/…, payloads/<topic>/<key>.json), so object access needs a key wildcard; it is limited to this one bucket.',
  );
  for (const group of BUCKET_READ_PUT_ACTION_GROUPS) {
    acknowledge(
      `Action::${group}`,
      `${group} is one of the action groups of grantRead / grantPut (object read, listing for 404s, write, multipart abort), scoped to the artifact bucket alone.`,
    );
  }
}
