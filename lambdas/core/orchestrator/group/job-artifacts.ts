import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { jobHedgeOutputKey, jobInputKey, jobOutputKey } from '../../messages/blob-keys.js';
import { hedgeJobName } from '../../messages/hedge-job-name.js';
import type { GroupIdentity } from './group-state.js';

/** The job of one attempt of a group: its runner name and the blobs it reads and writes. */
export interface JobArtifacts {
  /** Unique per group and attempt; Batch job-name rules: letters, digits, - and _, ≤ 128 chars. */
  readonly name: string;
  readonly inputKey: string;
  readonly outputKey: string;
}

/** A span key (`100-130`) keeps its readable form; sequential groups and bisection children have one. */
const SPAN_KEY = /^(0|[1-9]\d*)-(0|[1-9]\d*)$/;

/**
 * The one place a job's name and keys come from: the group's id and the attempt. Per attempt, so a
 * retry never reads a previous attempt's partial output; per group id, so two groups over the same
 * blocks (Match groups joined on different values) never share a job or a blob.
 *
 * A group id `<stage>/<start>-<end>` gives `<stage>-<start>-<end>-a<attempt>` and
 * `jobs/<stage>/<start>-<end>/a<attempt>/…`; any other key (a Match value) is replaced by
 * `m` + the first 40 hex digits of the sha256 of the group id, which no span key can equal.
 *
 * @example jobArtifacts({ id: 'range/100-130', stage: 'range', start: 100n, end: 130n }, 2).name // 'range-100-130-a2'
 */
export function jobArtifacts(group: GroupIdentity, attempt: number): JobArtifacts {
  const { stage } = group;
  const part = jobPart(group);
  return {
    name: `${stage}-${part}-a${attempt}`,
    inputKey: jobInputKey(stage, part, attempt),
    outputKey: jobOutputKey(stage, part, attempt),
  };
}

/**
 * The hedge of an attempt's job: its own name (`<job>-h`) and output key (`…/a<attempt>/hedge/`),
 * the attempt's input (the same executor input document).
 *
 * @example hedgeArtifacts({ id: 'range/100-130', stage: 'range', start: 100n, end: 130n }, 1).name // 'range-100-130-a1-h'
 */
export function hedgeArtifacts(group: GroupIdentity, attempt: number): JobArtifacts {
  const main = jobArtifacts(group, attempt);
  return {
    name: hedgeJobName(main.name),
    inputKey: main.inputKey,
    outputKey: jobHedgeOutputKey(group.stage, jobPart(group), attempt),
  };
}

function jobPart(group: GroupIdentity): string {
  const { stage, id } = group;
  const key = id.startsWith(`${stage}/`) ? id.slice(stage.length + 1) : id;
  return SPAN_KEY.test(key) ? key : `m${bytesToHex(sha256(utf8ToBytes(id))).slice(0, 40)}`;
}
