import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import {
  pipelineResourceNames,
  pipelineTopics,
} from '../../../lambdas/core/config/pipeline-resource-names.js';

const CONFIG_DIR = resolve(import.meta.dirname, '../../../config');

function load(file: string) {
  return parsePipelineConfig(JSON.parse(readFileSync(resolve(CONFIG_DIR, file), 'utf8')), file);
}

describe('pipelineResourceNames', () => {
  it('names queues, dead-letter queues, job queues and definitions after the pipeline', () => {
    // Act
    const names = pipelineResourceNames('rollup-prover');
    // Assess
    expect(names.stateTable).toBe('rollup-prover-state');
    expect(names.artifactBucket).toBe('rollup-prover-artifacts');
    expect(names.queue('blocks')).toBe('rollup-prover-blocks');
    expect(names.deadLetterQueue('blocks')).toBe('rollup-prover-blocks-dlq');
    expect(names.jobQueue('range')).toBe('rollup-prover-range');
    expect(names.jobDefinition('range')).toBe('rollup-prover-range');
  });
});

describe('pipelineTopics', () => {
  it('lists the watcher output, then each stage output, each once', () => {
    expect(pipelineTopics(load('aws-example.json'))).toEqual(['blocks', 'range-proofs', 'aggregate-proofs']);
  });
});
