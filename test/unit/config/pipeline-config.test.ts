import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadPipelineConfig,
  parsePipelineConfig,
} from '../../../lambdas/core/config/parse-pipeline-config.js';
import { ConfigError } from '../../../lambdas/core/errors.js';

const CONFIG_DIR = resolve(import.meta.dirname, '../../../config');

/** Raw JSON as read from a file, edited freely by the tests to break one rule at a time. */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON on purpose: each test writes an invalid shape
type RawConfig = Record<string, any>;

/** A mutable copy of the committed devnet config as raw JSON. */
function devnetJson(): RawConfig {
  return JSON.parse(readFileSync(resolve(CONFIG_DIR, 'devnet.json'), 'utf8'));
}

function awsJson(): RawConfig {
  return JSON.parse(readFileSync(resolve(CONFIG_DIR, 'aws-example.json'), 'utf8'));
}

function issuesOf(raw: unknown): string[] {
  try {
    parsePipelineConfig(raw, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected the config to be refused');
}

describe('committed configs', () => {
  it.each(['devnet.json', 'aws-example.json'])('%s parses with loadPipelineConfig', (file) => {
    // Act
    const config = loadPipelineConfig(resolve(CONFIG_DIR, file));
    // Assess
    expect(config.stages.map((s) => s.name)).toEqual(['range', 'aggregate']);
    expect(config.stages[1]!.executor.l1Checkpoint).toBe(true);
    expect(config.proposer.inputTopic).toBe('aggregate-proofs');
  });

  it('applies defaults', () => {
    const config = loadPipelineConfig(resolve(CONFIG_DIR, 'devnet.json'));
    expect(config.storage.inlinePayloadMaxBytes).toBe(64_000);
    expect(config.watcher.outputTopic).toBe('blocks');
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadPipelineConfig(resolve(CONFIG_DIR, 'missing.json'))).toThrow(
      /missing\.json[\s\S]*could not read JSON/,
    );
  });
});

describe('cross-field checks', () => {
  it('refuses an unknown input topic, naming the path, the value and the known topics', () => {
    // Prepare
    const raw = devnetJson();
    raw.stages[1].inputTopics = ['range-proofz'];
    // Act + Assess
    expect(issuesOf(raw)).toContain(
      'stages[1].inputTopics[0]: got unknown topic "range-proofz", expected one of: blocks, range-proofs, aggregate-proofs',
    );
  });

  it('refuses an unknown proposer input topic', () => {
    const raw = devnetJson();
    raw.proposer.inputTopic = 'nowhere';
    expect(issuesOf(raw).join('\n')).toMatch(/proposer\.inputTopic: got unknown topic "nowhere"/);
  });

  it('refuses a stage cycle', () => {
    // Prepare: two match stages feeding each other
    const raw = devnetJson();
    const matchCollector = {
      strategy: 'match',
      field: 'end',
      count: 2,
      timeoutSeconds: 60,
      onTimeout: 'fail',
    };
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
    // Act + Assess
    const [issue, ...rest] = issuesOf(raw);
    expect(rest).toEqual([]);
    expect(issue).toMatch(
      /^stages: got a cycle .*loop-a → loop-b → loop-a, expected stages to form a DAG from the watcher$/,
    );
  });

  it('refuses a sequential group size of 0', () => {
    const raw = devnetJson();
    raw.stages[0].collector.groupSize = 0;
    expect(issuesOf(raw)).toEqual(['stages[0].collector.groupSize: an integer ≥ 1 (got 0)']);
  });

  it('refuses a sequential collector with neither groupSize nor minSpan', () => {
    const raw = devnetJson();
    delete raw.stages[0].collector.groupSize;
    expect(issuesOf(raw)).toContain(
      'stages[0].collector: got neither groupSize nor minSpan, expected at least one to bound a group',
    );
  });

  it('refuses a submission interval smaller than a range', () => {
    // Prepare
    const raw = devnetJson();
    raw.proposer.submissionInterval = 4;
    raw.stages[1].collector.minSpan = 4;
    // Act + Assess
    expect(issuesOf(raw)).toEqual([
      'stages[0].collector.groupSize: got 5 blocks per range, expected ≤ proposer.submissionInterval 4',
    ]);
  });

  it('refuses an aggregate span below the submission interval', () => {
    const raw = devnetJson();
    raw.stages[1].collector.minSpan = 5;
    expect(issuesOf(raw)).toEqual([
      'stages[1].collector.minSpan: got 5, expected ≥ proposer.submissionInterval 10 (the stage feeds the proposer)',
    ]);
  });

  it.each([
    ['both', (l1: Record<string, unknown>) => Object.assign(l1, { rpcUrlsParameter: '/x/l1' })],
    ['neither', (l1: Record<string, unknown>) => delete l1.rpcUrls],
  ])('refuses %s of rpcUrls and rpcUrlsParameter', (which, change) => {
    const raw = devnetJson();
    change(raw.chains.l1);
    expect(issuesOf(raw)).toEqual([
      `chains.l1: got ${which} of rpcUrls and rpcUrlsParameter, expected exactly one`,
    ]);
  });

  it('refuses a GPU instance type SP1 cannot use (p4d: A100, compute capability 8.0)', () => {
    // Prepare
    const raw = awsJson();
    raw.stages[0].executor.instanceTypes = ['g6.4xlarge', 'p4d.24xlarge'];
    // Act + Assess
    expect(issuesOf(raw)).toEqual([
      'stages[0].executor.instanceTypes[1]: got "p4d.24xlarge": A100 has compute capability 8, SP1 needs ≥ 8.6',
    ]);
  });

  it('refuses an unknown GPU instance type, listing the known ones', () => {
    const raw = awsJson();
    raw.stages[0].executor.instanceTypes = ['p4d'];
    expect(issuesOf(raw)[0]).toMatch(
      /^stages\[0\]\.executor\.instanceTypes\[0\]: got "p4d": unknown GPU instance type; known: g6\.xlarge/,
    );
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
