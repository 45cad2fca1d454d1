import { Validations } from 'aws-cdk-lib';
import { logicalIdOf } from '../nag/logical-id.js';
import type { PipelineFunction } from './pipeline-function.js';
import type { PipelineState } from './pipeline-state.js';

/** The action groups `grantReadWrite` gives on a bucket (cdk-nag reports each wildcard apart). */
const BUCKET_READ_WRITE_ACTION_GROUPS = [
  's3:Abort*',
  's3:DeleteObject*',
  's3:GetBucket*',
  's3:GetObject*',
  's3:List*',
];

/** Read/write on the state table (and its index) and the artifact bucket, for a pipeline function. */
export function grantStateAccess(fn: PipelineFunction, state: PipelineState): void {
  state.table.grantReadWriteData(fn);
  state.artifactBucket.grantReadWrite(fn);
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
  for (const group of BUCKET_READ_WRITE_ACTION_GROUPS) {
    acknowledge(
      `Action::${group}`,
      `${group} is one of the action groups of grantReadWrite (object read, write, multipart abort), scoped to the artifact bucket alone.`,
    );
  }
}
