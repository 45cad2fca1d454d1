import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYMENT_EXECUTOR_FIELDS,
  DEPLOYMENT_SECTIONS,
  LOCAL_SECTIONS,
} from '../../../lambdas/core/config/config-file-layers.js';
import {
  loadPipelineConfig,
  parsePipelineConfig,
} from '../../../lambdas/core/config/parse-pipeline-config.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { CONFIG_DIR, committedConfigJson, configIssues } from '../../support/config-json.js';

describe('committed configs', () => {
  it.each(['devnet.json', 'aws-example.json'])('%s parses with loadPipelineConfig', (file) => {
    // Act
    const config = loadPipelineConfig(resolve(CONFIG_DIR, file));
    // Assess
    expect(config.stages.map((s) => s.name)).toEqual(['range', 'aggregate']);
    expect(provingStageNamed(config, 'aggregate').executor.l1Checkpoint).toBe(true);
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

describe('the runtime reader on a file holding every layer', () => {
  it('returns the runtime layer only: no deployment or local section or field', () => {
    // Prepare
    const raw = committedConfigJson('aws-example.json');
    raw.local = { maxParallelJobs: 4 };
    raw.stages[0].executor.imageUri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/prover:v1';
    // Act
    const config = parsePipelineConfig(raw, 'aws-example.json') as unknown as Record<string, unknown>;
    // Assess
    for (const section of [...DEPLOYMENT_SECTIONS, ...LOCAL_SECTIONS])
      expect(config).not.toHaveProperty(section);
    for (const stage of config.stages as Array<{ executor: Record<string, unknown> }>) {
      for (const field of DEPLOYMENT_EXECUTOR_FIELDS) expect(stage.executor).not.toHaveProperty(field);
    }
  });

  it("ignores the other layers' sections, even ones their readers refuse", () => {
    // Prepare
    const raw = committedConfigJson('devnet.json');
    raw.aws = { maxVcpus: 'many', notAnAwsField: true };
    raw.monitoring = { lagAlarmBlocks: -1 };
    raw.local = { maxParallelJobs: 0 };
    raw.stages[0].executor.instanceTypes = 'g6.4xlarge';
    // Act + Assess
    expect(() => parsePipelineConfig(raw, 'test')).not.toThrow();
  });

  it('refuses an unknown field in its own part, naming its path and the field', () => {
    // Prepare
    const raw = committedConfigJson('aws-example.json');
    raw.stages[0].executor.instanceType = 'g6.4xlarge';
    raw.watcher.maxBlockPerRun = 10;
    // Act
    const issues = configIssues(() => parsePipelineConfig(raw, 'test'));
    // Assess
    expect(issues).toEqual([
      expect.stringMatching(/^watcher: Unrecognized key: "maxBlockPerRun" \(got /),
      expect.stringMatching(/^stages\[0\]\.executor: Unrecognized key: "instanceType" \(got /),
    ]);
  });

  it('refuses an unknown top-level section (a section no layer reads)', () => {
    // Prepare
    const raw = committedConfigJson('devnet.json');
    raw.monitor = { lagAlarmBlocks: 100 };
    // Act
    const issues = configIssues(() => parsePipelineConfig(raw, 'test'));
    // Assess
    expect(issues).toEqual([expect.stringMatching(/^\(root\): Unrecognized key: "monitor"/)]);
  });
});
