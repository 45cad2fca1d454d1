import { jobInputKey, jobOutputKey } from '../../messages/blob-keys.js';
import type { GroupIdentity } from './group-state.js';

/** The job of one attempt of a group: its runner name and the blobs it reads and writes. */
export interface JobArtifacts {
  /** `<stage>-<start>-<end>-a<attempt>` (Batch job names allow letters, digits, - and _; ≤ 128). */
  readonly name: string;
  readonly inputKey: string;
  readonly outputKey: string;
}

/**
 * The one place a job's name and keys come from: the group's identity and the attempt. Per attempt,
 * so a retry never reads a previous attempt's partial output.
 */
export function jobArtifacts(group: GroupIdentity, attempt: number): JobArtifacts {
  const { stage, start, end } = group;
  return {
    name: `${stage}-${start}-${end}-a${attempt}`,
    inputKey: jobInputKey(stage, start, end, attempt),
    outputKey: jobOutputKey(stage, start, end, attempt),
  };
}
