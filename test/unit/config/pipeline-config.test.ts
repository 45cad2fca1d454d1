import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import type { RawConfig } from '../../support/config-json.js';
import {
  awsJson,
  type CrossCheckCase,
  devnetJson,
  expectRefused,
  issuesOf,
  matchCollector,
} from './cross-check-cases.js';

/** Two match stages feeding each other (a cycle). */
function addLoop(raw: RawConfig): void {
  const matchCollector = { strategy: 'match', field: 'end', count: 2, timeoutSeconds: 60, onTimeout: 'fail' };
  const executor = { ...raw.stages[0].executor, onExhausted: 'fail' };
  raw.stages.push(
    {
      name: 'loop-a',
      inputTopics: ['aggregate-proofs', 'loop-b-out'],
      outputTopic: 'loop-a-out',
      collector: matchCollector,
      executor,
    },
    {
      name: 'loop-b',
      inputTopics: ['loop-a-out'],
      outputTopic: 'loop-b-out',
      collector: matchCollector,
      executor,
    },
  );
}

const CROSS_CHECKS: CrossCheckCase[] = [
  {
    check: 'duplicate stage name',
    base: devnetJson,
    change: (raw) => raw.stages.push({ ...raw.stages[1], name: 'range', outputTopic: 'range-copies' }),
    path: 'stages[2].name',
    value: '"range"',
    issue: 'stages[2].name: got "range", expected a unique stage name',
  },
  {
    check: 'two producers for one topic',
    base: devnetJson,
    change: (raw) => raw.stages.push({ ...raw.stages[0], name: 'range-b' }),
    path: 'stages[2].outputTopic',
    value: '"range-proofs"',
    issue:
      'stages[2].outputTopic: got "range-proofs", already produced by stage "range"; expected one producer per topic',
  },
  {
    check: 'sequential stage with 2 input topics',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].inputTopics = ['range-proofs', 'blocks'];
    },
    path: 'stages[1].inputTopics',
    value: '2 topics',
    issue: 'stages[1].inputTopics: got 2 topics, expected 1 for a sequential collector',
  },
  {
    check: 'match with both count and countField',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector = matchCollector({ count: 2, countField: 'parts' });
    },
    path: 'stages[1].collector',
    value: 'both',
    issue: 'stages[1].collector: got both of count and countField, expected exactly one',
  },
  {
    check: 'match with neither count nor countField',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector = matchCollector({});
    },
    path: 'stages[1].collector',
    value: 'neither',
    issue: 'stages[1].collector: got neither of count and countField, expected exactly one',
  },
  {
    check: 'equal chain ids',
    base: devnetJson,
    change: (raw) => {
      raw.chains.l2.chainId = 900;
    },
    path: 'chains.l2.chainId',
    value: '900',
    issue: "chains.l2.chainId: got 900, expected a chain id different from L1's",
  },
  {
    check: 'binary backend without command',
    base: devnetJson,
    change: (raw) => {
      raw.stages[0].executor.backend = 'binary';
    },
    path: 'stages[0].executor.command',
    value: 'nothing',
    issue: 'stages[0].executor.command: got nothing, expected the prover command for backend "binary"',
  },
  {
    check: 'sp1 with 0 GPUs',
    base: awsJson,
    change: (raw) => {
      raw.stages[0].executor.resources.gpus = 0;
    },
    path: 'stages[0].executor.resources.gpus',
    value: '0',
    issue: 'stages[0].executor.resources.gpus: got 0, expected ≥ 1 for backend "sp1"',
  },
  {
    check: 'l1Checkpoint on a range stage',
    base: devnetJson,
    change: (raw) => {
      raw.stages[0].executor.l1Checkpoint = true;
    },
    path: 'stages[0].executor.l1Checkpoint',
    value: 'true',
    issue:
      'stages[0].executor.l1Checkpoint: got true for program "range", expected it only on aggregate stages',
  },
  {
    check: 'l1HeadDepth on an aggregate stage',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].executor.l1HeadDepth = 3;
    },
    path: 'stages[1].executor.l1HeadDepth',
    value: '3',
    issue: 'stages[1].executor.l1HeadDepth: got 3 for program "aggregate", expected it only on range stages',
  },
  {
    check: 'minSpan above groupSize for block keys',
    base: devnetJson,
    change: (raw) => {
      raw.stages[0].collector.minSpan = 6;
    },
    path: 'stages[0].collector.minSpan',
    value: '6',
    issue: 'stages[0].collector.minSpan: got 6, expected ≤ groupSize 5 for block keys',
  },
  {
    check: 'sequential with neither groupSize nor minSpan',
    base: devnetJson,
    change: (raw) => {
      delete raw.stages[0].collector.groupSize;
    },
    path: 'stages[0].collector',
    value: 'neither',
    issue:
      'stages[0].collector: got neither groupSize, minSpan nor adaptiveSize, expected at least one to bound a group',
  },
  {
    check: 'unknown stage input topic',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].inputTopics = ['range-proofz'];
    },
    path: 'stages[1].inputTopics[0]',
    value: '"range-proofz"',
    issue:
      'stages[1].inputTopics[0]: got unknown topic "range-proofz", expected one of: blocks, range-proofs, aggregate-proofs',
  },
  {
    check: 'unknown proposer input topic',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.inputTopic = 'nowhere';
    },
    path: 'proposer.inputTopic',
    value: '"nowhere"',
    issue:
      'proposer.inputTopic: got unknown topic "nowhere", expected one of: blocks, range-proofs, aggregate-proofs',
  },
  {
    check: 'stage cycle',
    base: devnetJson,
    change: addLoop,
    path: 'stages',
    value: 'loop-a → loop-b → loop-a',
    issue: 'stages: got a cycle loop-a → loop-b → loop-a, expected stages to form a DAG from the watcher',
  },
  {
    check: 'groupSize 0 (schema)',
    base: devnetJson,
    change: (raw) => {
      raw.stages[0].collector.groupSize = 0;
    },
    path: 'stages[0].collector.groupSize',
    value: '0',
    issue: 'stages[0].collector.groupSize: an integer ≥ 1 (got 0)',
  },
  {
    check: 'submission interval smaller than a range',
    base: devnetJson,
    change: (raw) => {
      raw.proposer.submissionInterval = 4;
      raw.stages[1].collector.minSpan = 4;
    },
    path: 'stages[0].collector.groupSize',
    value: '5',
    issue: 'stages[0].collector.groupSize: got 5 blocks per range, expected ≤ proposer.submissionInterval 4',
  },
  {
    check: 'aggregate span below the submission interval',
    base: devnetJson,
    change: (raw) => {
      raw.stages[1].collector.minSpan = 5;
    },
    path: 'stages[1].collector.minSpan',
    value: '5',
    issue:
      'stages[1].collector.minSpan: got 5, expected ≥ proposer.submissionInterval 10 (the stage feeds the proposer)',
  },
  {
    check: 'both rpcUrls and rpcUrlsParameter',
    base: devnetJson,
    change: (raw) => {
      raw.chains.l1.rpcUrlsParameter = '/x/l1';
    },
    path: 'chains.l1',
    value: 'both',
    issue: 'chains.l1: got both of rpcUrls and rpcUrlsParameter, expected exactly one',
  },
  {
    check: 'neither rpcUrls nor rpcUrlsParameter',
    base: devnetJson,
    change: (raw) => {
      delete raw.chains.l2.rpcUrls;
    },
    path: 'chains.l2',
    value: 'neither',
    issue: 'chains.l2: got neither of rpcUrls and rpcUrlsParameter, expected exactly one',
  },
];

describe('cross-field checks', () => {
  it.each(CROSS_CHECKS)('refuses $check, naming the path and the value', expectRefused);

  it('accepts the unchanged bases (every case above fails only because of its change)', () => {
    expect(() => parsePipelineConfig(devnetJson(), 'devnet')).not.toThrow();
    expect(() => parsePipelineConfig(awsJson(), 'aws')).not.toThrow();
  });

  it('reports schema errors with path, expectation and value', () => {
    const raw = devnetJson();
    raw.chains.l2.startBlock = 12;
    raw.proposer.feeBumpPercent = 5;
    expect(issuesOf(raw)).toEqual([
      'chains.l2.startBlock: Invalid input: expected string, received number (got 12)',
      'proposer.feeBumpPercent: at least 10 (nodes refuse smaller replacement bumps) (got 5)',
    ]);
  });
});
